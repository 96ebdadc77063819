"""``plan_uncommit`` and ``plan_commitment_reduce``: the plan's committed and released
figures follow its commitments, and agree with the budget ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets import services as budget_services
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine, EntryKind, LedgerEntry
from zhengcai.budgets.selectors import committed_for_ref, reservations_for_ref
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.plans import execution, services
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.selectors import plan_figures
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft

D = Decimal


def _plan(purchaser: Actor, line_id: int) -> ProcurementPlan:
    """A filed plan of 50,000.00 on the line."""
    return services.plan_file(actor=purchaser, plan_id=draft(purchaser, line_id).pk)


def _commit(purchaser: Actor, plan: ProcurementPlan, line_id: int, amount: str, ref: str) -> Any:
    return execution.plan_commit(
        actor=purchaser,
        plan_id=plan.pk,
        line_id=line_id,
        amount=D(amount),
        commitment_ref=ref,
        supplier_org_id=None,
        description="",
    )


def _figures(plan: ProcurementPlan) -> tuple[Decimal, Decimal]:
    plan.refresh_from_db()
    return plan.committed_amount, plan.released_amount


def _consistent(plan: ProcurementPlan) -> None:
    """Cache == ledger; reservations + committed + released == what the plan reserved."""
    plan.refresh_from_db()
    assert plan.committed_amount == committed_for_ref(plan.ref)
    held = sum((amount for _line, amount in reservations_for_ref(plan.ref)), D("0"))
    assert held + plan.committed_amount + plan.released_amount == plan.total_amount
    assert all(ledger_verify(line).ok for line in BudgetLine.objects.all())


def test_uncommit_gives_the_money_back_to_the_executing_plan(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    first = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    _commit(purchaser, plan, lines["big"], "15000", "contract:DD20260302000002")
    assert _figures(plan) == (D("45000.00"), D("0.00"))
    commitment = execution.plan_uncommit(actor=purchaser, plan_id=plan.pk, commitment_id=first.pk)
    assert commitment.status == "cancelled"
    assert _figures(plan) == (D("15000.00"), D("0.00"))
    assert reservations_for_ref(plan.ref) == [(lines["big"], D("35000.00"))]
    assert LedgerEntry.objects.filter(commitment=first, kind=EntryKind.RETURN, amount=D("30000.00")).exists()
    event = AuditEvent.objects.get(action="plans.plan.uncommit")
    assert event.data == {
        "line": lines["big"],
        "commitment_ref": "contract:DD20260302000001",
        "returned": "30000.00",
        "to": "reservation",
    }
    _consistent(plan)
    # The plan can commit the money again.
    _commit(purchaser, plan, lines["big"], "35000", "contract:DD20260302000003")
    assert _figures(plan) == (D("50000.00"), D("0.00"))
    _consistent(plan)


def test_uncommit_after_completion_goes_to_the_line(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    c = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert _figures(plan) == (D("30000.00"), D("20000.00"))
    execution.plan_uncommit(actor=purchaser, plan_id=plan.pk, commitment_id=c.pk)
    assert _figures(plan) == (D("0.00"), D("50000.00"))
    assert reservations_for_ref(plan.ref) == []
    assert AuditEvent.objects.get(action="plans.plan.uncommit").data["to"] == "available"
    _consistent(plan)


def test_uncommit_in_a_closed_year_goes_to_the_line(frozen_clock: Any, purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    c = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    frozen_clock.set(dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    execution.plan_uncommit(actor=purchaser, plan_id=plan.pk, commitment_id=c.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EXECUTING
    assert _figures(plan) == (D("0.00"), D("30000.00"))
    assert reservations_for_ref(plan.ref) == [(lines["big"], D("20000.00"))]
    _consistent(plan)


def test_reduce_lowers_committed_and_raises_released(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    c = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    line_before = BudgetLine.objects.get(pk=lines["big"])
    c = execution.plan_commitment_reduce(actor=purchaser, plan_id=plan.pk, commitment_id=c.pk, amount=D("24000"))
    assert c.amount == D("24000.00")
    assert _figures(plan) == (D("24000.00"), D("6000.00"))
    line = BudgetLine.objects.get(pk=lines["big"])
    assert line.available == line_before.available + D("6000.00")
    assert line.reserved == line_before.reserved  # the reservation is not touched
    assert list(LedgerEntry.objects.filter(commitment=c).values_list("kind", "reason")) == [
        (EntryKind.COMMIT, ""),
        (EntryKind.REDUCE, "savings"),
    ]
    event = AuditEvent.objects.get(action="plans.plan.reduce")
    assert event.data == {
        "line": lines["big"],
        "commitment_ref": "contract:DD20260302000001",
        "amount": "24000.00",
        "released": "6000.00",
    }
    _consistent(plan)
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert _figures(plan) == (D("24000.00"), D("26000.00"))
    total, _rows = plan_figures(actor=purchaser)
    assert (total.committed, total.savings) == (D("24000.00"), D("26000.00"))
    _consistent(plan)


def test_refusals_change_nothing(
    purchaser: Actor, other_unit_purchaser: Actor, regulator: Actor, lines: dict[str, int]
) -> None:
    plan = _plan(purchaser, lines["big"])
    c = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    other_plan = _plan(purchaser, lines["small"])
    other = _commit(purchaser, other_plan, lines["small"], "100", "contract:DD20260302000002")
    events = AuditEvent.objects.count()
    for call in (
        lambda: execution.plan_uncommit(actor=purchaser, plan_id=plan.pk, commitment_id=other.pk),
        lambda: execution.plan_uncommit(actor=purchaser, plan_id=plan.pk, commitment_id=999_999),
        lambda: execution.plan_uncommit(actor=other_unit_purchaser, plan_id=plan.pk, commitment_id=c.pk),
        lambda: execution.plan_commitment_reduce(
            actor=purchaser, plan_id=plan.pk, commitment_id=other.pk, amount=D("1")
        ),
        lambda: execution.plan_commitment_reduce(
            actor=other_unit_purchaser, plan_id=plan.pk, commitment_id=c.pk, amount=D("1")
        ),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(NotPermitted):
        execution.plan_uncommit(actor=regulator, plan_id=plan.pk, commitment_id=c.pk)
    for bad in ("30000", "0", "abc", "-1"):
        with pytest.raises(ValidationFailed):
            execution.plan_commitment_reduce(actor=purchaser, plan_id=plan.pk, commitment_id=c.pk, amount=bad)  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == events
    assert _figures(plan) == (D("30000.00"), D("0.00"))
    _consistent(plan)


def test_complete_picks_up_a_reduction_made_in_budgets(purchaser: Actor, lines: dict[str, int]) -> None:
    """An acceptance of less recorded on the budget page lowers the commitment there; the
    plan's cache catches up when it completes."""
    plan = _plan(purchaser, lines["big"])
    c = _commit(purchaser, plan, lines["big"], "30000", "contract:DD20260302000001")
    budget_services.commitment_accept(
        actor=purchaser, commitment_id=c.pk, accepted_amount=D("28000"), accepted_on=dt.date(2026, 3, 2)
    )
    assert _figures(plan) == (D("30000.00"), D("0.00"))  # stale until the plan is touched
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert _figures(plan) == (D("28000.00"), D("22000.00"))
    assert AuditEvent.objects.get(action="plans.plan.complete").data["released"] == "22000.00"
    _consistent(plan)
