"""Lowering and cancelling commitments: ``commitment_reduce``, ``commitment_cancel`` back to
the reservation, an acceptance of less, and the ledger verifier's commitment checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets import payments, refs, selectors, services
from zhengcai.budgets.errors import FiscalYearClosed
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine, Commitment, EntryKind, LedgerEntry
from zhengcai.budgets.tests.conftest import World, snapshot
from zhengcai.budgets.tests.test_pages import client_of
from zhengcai.core import clock
from zhengcai.core.clock import FrozenClock
from zhengcai.core.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed

D = Decimal


def _committed(world: World, amount: str = "1000.00", reserve: str = "1500.00") -> Commitment:
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D(reserve), ref="plan:5")
    return services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D(amount),
        ref="plan:5",
        commitment_ref="contract:DD20260302000001",
        supplier_org_id=None,
        description="复印纸",
    )


def _kinds(commitment: Commitment) -> list[tuple[str, Decimal, str]]:
    return list(LedgerEntry.objects.filter(commitment=commitment).values_list("kind", "amount", "reason"))


def test_reduce_lowers_the_commitment_in_one_entry(world: World) -> None:
    c = _committed(world)
    line = c.line
    before = snapshot(line)
    c = services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("600"))
    assert (c.amount, c.status) == (D("600.00"), "open")
    line.refresh_from_db()
    # The difference leaves the commitment for the line's available money, not the reservation.
    assert (line.reserved, line.committed, line.available) == (D("500.00"), D("600.00"), D("98900.00"))
    assert snapshot(line)[-1] == before[-1] + 1
    assert _kinds(c) == [(EntryKind.COMMIT, D("1000.00"), ""), (EntryKind.REDUCE, D("400.00"), "savings")]
    assert services.reservation_outstanding(line.pk, "plan:5") == D("500.00")
    assert selectors.committed_for_ref("plan:5") == D("600.00")
    event = AuditEvent.objects.get(action="budgets.commitment.reduce")
    assert event.data == {
        "amount_before": "1000.00",
        "amount": "600.00",
        "released": "400.00",
        "reason": "savings",
        "commitment_ref": "contract:DD20260302000001",
    }
    assert event.region_code == "330802"
    assert ledger_verify(line).ok
    # Savings figures count the reduction like a savings release of a reservation.
    total, _rows = selectors.budget_figures(actor=world.admin)
    assert total.savings == D("400.00")
    services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("500"), reason="other")
    total, _rows = selectors.budget_figures(actor=world.admin)
    assert total.savings == D("400.00")
    # The reduced commitment is accepted and paid as usual, and is then settled.
    c = services.commitment_accept(
        actor=world.admin, commitment_id=c.pk, accepted_amount=D("500"), accepted_on=dt.date(2026, 3, 2)
    )
    p = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("500"))
    payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
    payments.payment_request_approve(actor=world.admin, payment_id=p.pk)
    payments.payment_request_record_paid(actor=world.admin, payment_id=p.pk, voucher_no="PZ-1")
    c.refresh_from_db()
    line.refresh_from_db()
    assert (c.status, c.paid) == ("paid", D("500.00"))
    assert (line.committed, line.paid) == (D("0.00"), D("500.00"))
    assert ledger_verify(line).ok


def test_reduce_refusals_change_nothing(world: World) -> None:
    c = _committed(world)
    line = c.line
    before = snapshot(line)
    events = AuditEvent.objects.count()
    for bad in (D("1000"), D("1000.01"), D("0"), D("-1"), "x", D("1.001")):
        with pytest.raises(ValidationFailed):
            services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("10"), reason="lottery")
    with pytest.raises(NotFound):
        services.commitment_reduce(actor=world.other, commitment_id=c.pk, amount=D("10"))
    with pytest.raises(NotFound):
        services.commitment_reduce(actor=world.admin, commitment_id=999_999, amount=D("10"))
    for outsider in (world.supplier, world.operator):
        with pytest.raises(NotFound):
            services.commitment_reduce(actor=outsider, commitment_id=c.pk, amount=D("10"))
    with pytest.raises(NotPermitted):
        services.commitment_reduce(actor=world.regulator, commitment_id=c.pk, amount=D("10"))
    assert snapshot(line) == before
    assert AuditEvent.objects.count() == events
    assert Commitment.objects.get(pk=c.pk).amount == D("1000.00")


def test_reduce_never_goes_below_what_is_accepted_requested_or_paid(world: World) -> None:
    c = _committed(world)
    c = services.commitment_accept(
        actor=world.admin, commitment_id=c.pk, accepted_amount=D("1000"), accepted_on=dt.date(2026, 3, 2)
    )
    with pytest.raises(ValidationFailed) as below_accepted:
        services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("999.99"))
    assert below_accepted.value.code == "reduce_below_used"
    services.commitment_cancel(actor=world.admin, commitment_id=c.pk)
    with pytest.raises(InvalidTransition):
        services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("1"))
    assert ledger_verify(c.line).ok


def test_reduce_releases_what_a_settled_commitment_still_holds(world: World) -> None:
    """A commitment accepted for less before reductions existed kept the difference committed
    after it was paid; reducing it to what was paid frees the money."""
    c = _committed(world)
    # An older acceptance of less left the full amount committed: recreate that state.
    Commitment.objects.filter(pk=c.pk).update(
        status="paid", accepted_amount=D("800"), accepted_on=dt.date(2026, 3, 1), paid=D("0")
    )
    c = services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("800"))
    assert (c.amount, c.status) == (D("800.00"), "paid")
    with pytest.raises(ValidationFailed):
        services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("799.99"))


def test_reduce_works_on_a_closed_year(world: World, frozen_clock: FrozenClock) -> None:
    c = _committed(world)
    frozen_clock.set(dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("1"))
    assert ledger_verify(c.line).ok


def test_accepting_less_reduces_the_commitment(world: World) -> None:
    c = _committed(world)
    c = services.commitment_accept(
        actor=world.admin, commitment_id=c.pk, accepted_amount=D("750"), accepted_on=dt.date(2026, 3, 2)
    )
    assert (c.amount, c.accepted_amount, c.status) == (D("750.00"), D("750.00"), "accepted")
    line = BudgetLine.objects.get(pk=c.line_id)
    assert line.committed == D("750.00")
    assert _kinds(c) == [(EntryKind.COMMIT, D("1000.00"), ""), (EntryKind.REDUCE, D("250.00"), "savings")]
    actions = list(
        AuditEvent.objects.filter(action__startswith="budgets.commitment.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["budgets.commitment.create", "budgets.commitment.reduce", "budgets.commitment.accept"]
    assert ledger_verify(line).ok


def test_accepting_everything_does_not_reduce(world: World) -> None:
    c = _committed(world)
    services.commitment_accept(
        actor=world.admin, commitment_id=c.pk, accepted_amount=D("1000"), accepted_on=dt.date(2026, 3, 2)
    )
    assert not AuditEvent.objects.filter(action="budgets.commitment.reduce").exists()
    assert _kinds(c) == [(EntryKind.COMMIT, D("1000.00"), "")]


def test_cancel_back_to_the_reservation(world: World) -> None:
    c = _committed(world)
    line = c.line
    c = services.commitment_cancel(actor=world.admin, commitment_id=c.pk, to_reservation=True)
    assert c.status == "cancelled"
    line.refresh_from_db()
    assert (line.reserved, line.committed, line.available) == (D("1500.00"), D("0.00"), D("98500.00"))
    assert services.reservation_outstanding(line.pk, "plan:5") == D("1500.00")
    assert selectors.reservations_for_ref("plan:5") == [(line.pk, D("1500.00"))]
    assert selectors.committed_for_ref("plan:5") == D("0.00")
    assert _kinds(c) == [(EntryKind.COMMIT, D("1000.00"), ""), (EntryKind.RETURN, D("1000.00"), "")]
    event = AuditEvent.objects.get(action="budgets.commitment.cancel")
    assert event.data == {"returned": "1000.00", "to": "reservation"}
    assert ledger_verify(line).ok
    # The reservation holds it again: the same order may be committed again from it.
    again = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("1500"),
        ref="plan:5",
        commitment_ref="contract:DD20260302000001",
        supplier_org_id=None,
        description="",
    )
    assert again.amount == D("1500.00")
    assert ledger_verify(line).ok


def test_cancel_to_available_by_default(world: World) -> None:
    c = _committed(world)
    services.commitment_cancel(actor=world.admin, commitment_id=c.pk)
    assert services.reservation_outstanding(c.line_id, "plan:5") == D("500.00")
    assert AuditEvent.objects.get(action="budgets.commitment.cancel").data == {"returned": "1000.00", "to": "available"}
    assert _kinds(c)[-1] == (EntryKind.UNCOMMIT, D("1000.00"), "")


def test_cancel_back_to_a_closed_years_reservation_refused(world: World, frozen_clock: FrozenClock) -> None:
    c = _committed(world)
    frozen_clock.set(dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    before = snapshot(c.line)
    with pytest.raises(FiscalYearClosed):
        services.commitment_cancel(actor=world.admin, commitment_id=c.pk, to_reservation=True)
    assert snapshot(c.line) == before
    assert Commitment.objects.get(pk=c.pk).status == "open"
    services.commitment_cancel(actor=world.admin, commitment_id=c.pk)
    assert ledger_verify(c.line).ok


def test_the_verifier_checks_each_commitment_against_its_entries(world: World) -> None:
    c = _committed(world)
    line = c.line
    assert ledger_verify(line).ok
    # A commitment whose amount was changed behind the ledger's back.
    Commitment.objects.filter(pk=c.pk).update(amount=D("900"))
    result = ledger_verify(line)
    assert result.problems == [f"commitment {c.pk}: amount 900.00 != ledger 1000.00"]
    Commitment.objects.filter(pk=c.pk).update(amount=D("1000"))
    # A cancellation that gave nothing back.
    Commitment.objects.filter(pk=c.pk).update(status="cancelled")
    assert ledger_verify(line).problems == [f"commitment {c.pk}: 0.00 given back, 1000.00 expected (cancelled)"]
    Commitment.objects.filter(pk=c.pk).update(status="open")
    # A payment recorded on the commitment without its pay entry.
    Commitment.objects.filter(pk=c.pk).update(paid=D("10"))
    assert ledger_verify(line).problems == [f"commitment {c.pk}: paid 10.00 != ledger 0.00"]
    Commitment.objects.filter(pk=c.pk).update(paid=D("0"))
    assert ledger_verify(line).ok


def test_the_verifier_finds_a_negative_reservation(world: World) -> None:
    line = world.make_line("1000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:1")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:2")
    # One ref released more than it reserved, the other less: the line's totals still agree.
    LedgerEntry.objects.create(
        line=line, kind=EntryKind.RELEASE, amount=D("150"), ref="plan:1", actor_label="x", created_at=line.created_at
    )
    BudgetLine.objects.filter(pk=line.pk).update(reserved=D("50"))
    result = ledger_verify(line)
    assert result.problems == ["reservation of plan:1 is negative: -50.00"]


def test_budgets_verify_command_reports_commitment_problems(world: World) -> None:
    c = _committed(world)
    services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D("300"))
    call_command("budgets_verify")
    Commitment.objects.filter(pk=c.pk).update(amount=D("1000"))
    with pytest.raises(CommandError):
        call_command("budgets_verify")


def test_budget_pages_show_commitment_refs_through_the_labellers(world: World) -> None:
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:5")
    c = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("100"),
        ref="plan:5",
        commitment_ref="labtest:42",
        supplier_org_id=None,
        description="",
    )
    refs.ref_labeller_register("labtest", lambda rest: f"合同 HT-{rest}")
    try:
        client = client_of(world.clerk)
        for url in (
            reverse("budgets:commitment_detail", args=[c.pk]),
            reverse("budgets:line_detail", args=[c.line_id]),
        ):
            page = client.get(url).content.decode()
            assert "合同 HT-42" in page
            assert "labtest:42" not in page
    finally:
        refs._LABELLERS.pop("labtest")  # undo the test's registration


def test_a_managed_commitment_is_accepted_only_by_its_owner(world: World) -> None:
    """An e-mall order's commitment is accepted on the order page (quantities checked there):
    the budget page hides the form, the service and the API refuse, the owner may."""
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:5")
    c = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("100"),
        ref="plan:5",
        commitment_ref="ownedtest:7",
        supplier_org_id=None,
        description="",
    )
    refs.ref_managed_register("ownedtest")
    try:
        today = clock.today()
        with pytest.raises(services.AcceptedByOwner):
            services.commitment_accept(
                actor=world.admin, commitment_id=c.pk, accepted_amount=D("100"), accepted_on=today
            )
        client = client_of(world.admin)
        page = client.get(reverse("budgets:commitment_detail", args=[c.pk])).content.decode()
        assert 'data-testid="accept-form"' not in page
        assert 'data-testid="accepted-by-owner"' in page
        response = client.post(
            f"/api/v1/budgets/commitments/{c.pk}/accept",
            data={"accepted_amount": "100", "accepted_on": today.isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "accepted_by_owner"
        c.refresh_from_db()
        assert c.status == "open"
        accepted = services.commitment_accept(
            actor=world.admin, commitment_id=c.pk, accepted_amount=D("100"), accepted_on=today, by_owner=True
        )
        assert accepted.status == "accepted"
    finally:
        refs._MANAGED.discard("ownedtest")
