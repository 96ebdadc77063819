"""Lines, adjustments, reservations, commitments: the contract the plans engineer builds on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets import selectors, services
from zhengcai.budgets.errors import FiscalYearClosed, InsufficientBudget
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine, LedgerEntry
from zhengcai.budgets.tests.conftest import World, snapshot
from zhengcai.core.errors import Conflict, DomainError, InvalidTransition, NotFound, NotPermitted, ValidationFailed

D = Decimal


def test_reserve_release_commit_accept_cancel(world: World) -> None:
    line = world.make_line("100000.00")
    a = world.admin
    services.budget_reserve(actor=a, line_id=line.pk, amount=D("60000"), ref="plan:1")
    line.refresh_from_db()
    assert (line.reserved, line.available) == (D("60000.00"), D("40000.00"))
    services.budget_release(actor=a, line_id=line.pk, amount=D("5000"), ref="plan:1")
    commitment = services.budget_commit(
        actor=a,
        line_id=line.pk,
        amount=D("50000"),
        ref="plan:1",
        commitment_ref="contract:9",
        supplier_org_id=None,
        description="台式计算机",
    )
    assert selectors.reservations_for_ref("plan:1") == [(line.pk, D("5000.00"))]
    line.refresh_from_db()
    assert (line.reserved, line.committed, line.available) == (D("5000.00"), D("50000.00"), D("45000.00"))
    commitment = services.commitment_accept(
        actor=a, commitment_id=commitment.pk, accepted_amount=D("48000"), accepted_on=dt.date(2026, 3, 1)
    )
    assert commitment.due_on == dt.date(2026, 3, 31)  # 30 days (national rule set)
    services.commitment_cancel(actor=a, commitment_id=commitment.pk)
    line.refresh_from_db()
    # Cancelled commitments return to available, not to the reservation.
    assert (line.reserved, line.committed, line.available) == (D("5000.00"), D("0.00"), D("95000.00"))
    assert ledger_verify(line).ok
    actions = set(AuditEvent.objects.filter(action__startswith="budgets.").values_list("action", flat=True))
    assert {
        "budgets.line.create",
        "budgets.line.reserve",
        "budgets.line.release",
        "budgets.commitment.create",
        "budgets.commitment.accept",
        "budgets.commitment.cancel",
    } <= actions
    assert AuditEvent.objects.filter(action="budgets.line.reserve").get().region_code == "330802"


def test_reserve_more_than_available_is_refused(world: World) -> None:
    line = world.make_line("1000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("600"), ref="plan:1")
    before = snapshot(line)
    with pytest.raises(InsufficientBudget) as exc:
        services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("400.01"), ref="plan:2")
    assert exc.value.code == "insufficient_budget"
    assert "400.01" in str(exc.value.message)
    assert snapshot(line) == before


@pytest.mark.parametrize("amount", [D("-1"), D("0"), "abc", 12.5, "1e3x"])
def test_bad_amounts_are_refused(world: World, amount: object) -> None:
    line = world.make_line()
    before = snapshot(line)
    with pytest.raises(ValidationFailed):
        services.budget_reserve(actor=world.admin, line_id=line.pk, amount=amount, ref="plan:1")  # type: ignore[arg-type]
    assert snapshot(line) == before


def test_release_and_commit_never_exceed_the_reservation(world: World) -> None:
    line = world.make_line()
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:1")
    before = snapshot(line)
    with pytest.raises(ValidationFailed):
        services.budget_release(actor=world.admin, line_id=line.pk, amount=D("100.01"), ref="plan:1")
    with pytest.raises(ValidationFailed):
        services.budget_release(actor=world.admin, line_id=line.pk, amount=D("1"), ref="plan:2")
    with pytest.raises(InsufficientBudget):
        services.budget_commit(
            actor=world.admin,
            line_id=line.pk,
            amount=D("101"),
            ref="plan:1",
            commitment_ref="contract:1",
            supplier_org_id=None,
            description="",
        )
    assert snapshot(line) == before


@pytest.mark.parametrize("who", ["other", "regulator", "regulator_token", "far_regulator", "operator", "supplier"])
def test_only_the_unit_moves_its_money(world: World, who: str) -> None:
    line = world.make_line()
    before = snapshot(line)
    actor = getattr(world, who)
    expected = NotPermitted if who in ("regulator", "regulator_token") else NotFound
    with pytest.raises(expected):
        services.budget_reserve(actor=actor, line_id=line.pk, amount=D("1"), ref="plan:1")
    assert snapshot(line) == before


def test_missing_line_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        services.budget_reserve(actor=world.admin, line_id=999_999, amount=D("1"), ref="plan:1")


def test_closed_fiscal_year_refuses_reservations(world: World) -> None:
    line = world.make_line()
    BudgetLine.objects.filter(pk=line.pk).update(fiscal_year=2025)
    with pytest.raises(FiscalYearClosed):
        services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("1"), ref="plan:1")


def test_upsert_is_idempotent_and_refuses_a_new_amount(world: World) -> None:
    data = world.line_data(external_id="YS-2026-001")
    line, created = services.budget_line_upsert(actor=world.regulator_token, data=data)
    assert created
    again, created = services.budget_line_upsert(actor=world.regulator_token, data=dict(data))
    assert (again.pk, created) == (line.pk, False)
    assert BudgetLine.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        services.budget_line_upsert(actor=world.regulator_token, data={**data, "amount": D("2")})
    assert exc.value.code == "amount_changed_use_adjustment"
    assert BudgetLine.objects.get().allocated == D("1000000.00")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fiscal_year", 2024),
        ("fiscal_year", "x"),
        ("amount", "-5"),
        ("amount", "abc"),
        ("functional_code", "20A"),
        ("economic_code", "3"),
        ("budget_unit", "91330802XXXXXXXXXX"),
        ("fund_source", "lottery"),
        ("project_name", ""),
    ],
)
def test_upsert_refuses_bad_input(world: World, field: str, value: object) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.budget_line_upsert(actor=world.regulator_token, data=world.line_data(**{field: value}))
    assert field in exc.value.fields
    assert not BudgetLine.objects.exists()


def test_who_may_load_lines(world: World) -> None:
    # The unit's finance bureau (token or people) loads its lines; the unit itself and outsiders may not.
    _line, created = services.budget_line_upsert(actor=world.regulator_token, data=world.line_data())
    assert created
    _line, created = services.budget_line_upsert(actor=world.regulator, data=world.line_data())
    assert created
    for actor in (world.admin, world.clerk, world.far_regulator, world.other, world.operator, world.supplier):
        with pytest.raises(DomainError):
            services.budget_line_upsert(actor=actor, data=world.line_data())
    assert BudgetLine.objects.count() == 2


def test_adjust_up_and_down(world: World) -> None:
    line = world.make_line("1000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("700"), ref="plan:1")
    services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("500"), reason="追加")
    services.budget_line_adjust(
        actor=world.regulator_token, line_id=line.pk, kind="down", amount=D("800"), reason="调减"
    )
    line.refresh_from_db()
    assert (line.allocated, line.available) == (D("700.00"), D("0.00"))
    before = snapshot(line)
    with pytest.raises(InsufficientBudget):
        services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="down", amount=D("0.01"), reason="x")
    with pytest.raises(ValidationFailed):
        services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("1"), reason=" ")
    with pytest.raises(NotPermitted):
        services.budget_line_adjust(actor=world.admin, line_id=line.pk, kind="up", amount=D("1"), reason="x")
    assert snapshot(line) == before
    assert ledger_verify(line).ok


def test_accept_checks(world: World) -> None:
    line = world.make_line()
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:1")
    c = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("100"),
        ref="plan:1",
        commitment_ref="contract:1",
        supplier_org_id=None,
        description="",
    )
    with pytest.raises(ValidationFailed):
        services.commitment_accept(
            actor=world.admin, commitment_id=c.pk, accepted_amount=D("101"), accepted_on=dt.date(2026, 3, 1)
        )
    with pytest.raises(ValidationFailed):
        services.commitment_accept(
            actor=world.admin, commitment_id=c.pk, accepted_amount=D("1"), accepted_on=dt.date(2026, 3, 3)
        )
    services.commitment_accept(
        actor=world.admin, commitment_id=c.pk, accepted_amount=D("100"), accepted_on=dt.date(2026, 3, 2)
    )
    with pytest.raises(InvalidTransition):
        services.commitment_accept(
            actor=world.admin, commitment_id=c.pk, accepted_amount=D("100"), accepted_on=dt.date(2026, 3, 2)
        )


def test_ledger_entries_cannot_be_changed(world: World) -> None:
    line = world.make_line()
    entry = line.entries.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)


def test_visibility(world: World) -> None:
    line = world.make_line()
    assert list(selectors.budget_lines_visible(actor=world.regulator)) == [line]
    assert selectors.budget_line_get(actor=world.clerk, pk=line.pk) == line
    for actor in (world.other, world.far_regulator, world.operator, world.supplier):
        assert not selectors.budget_lines_visible(actor=actor).exists()
        with pytest.raises(NotFound):
            selectors.budget_line_get(actor=actor, pk=line.pk)


def test_the_same_order_is_committed_once_per_line(world: World) -> None:
    line = world.make_line()
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:1")

    def commit(amount: str, ref: str = "contract:7") -> Any:
        return services.budget_commit(
            actor=world.admin,
            line_id=line.pk,
            amount=D(amount),
            ref="plan:1",
            commitment_ref=ref,
            supplier_org_id=None,
            description="",
        )

    first = commit("40")
    before = snapshot(line)
    with pytest.raises(Conflict):
        commit("1")  # a retried or repeated call must not commit the money twice
    assert snapshot(line) == before
    services.commitment_cancel(actor=world.admin, commitment_id=first.pk)
    assert commit("40").pk != first.pk  # a cancelled commitment may be made again
    assert commit("10", ref="contract:8").commitment_ref == "contract:8"


def test_the_acceptance_date_is_rendered_in_the_date_input_format(world: World) -> None:
    from django.utils import translation

    from zhengcai.budgets.forms import AcceptForm

    with translation.override("zh-hans"):
        html = str(AcceptForm(initial={"accepted_on": dt.date(2026, 11, 30)})["accepted_on"])
    assert 'value="2026-11-30"' in html
