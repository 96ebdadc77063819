"""Plan holds: open inquiries and auctions earmark part of a plan's reservation; checkout
(``plan_commit``) sees only what is free, and an award consumes its own hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.selectors import reservations_for_ref
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from zhengcai.plans import execution, holds, services
from zhengcai.plans.models import PlanHold, ProcurementPlan
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft

D = Decimal


def _plan(purchaser: Actor, line_id: int) -> ProcurementPlan:
    """A filed plan of 50,000.00 on the line."""
    return services.plan_file(actor=purchaser, plan_id=draft(purchaser, line_id).pk)


def _commit(purchaser: Actor, plan: ProcurementPlan, line_id: int, amount: str, ref: str, **kw: Any) -> Any:
    return execution.plan_commit(
        actor=purchaser,
        plan_id=plan.pk,
        line_id=line_id,
        amount=D(amount),
        commitment_ref=ref,
        supplier_org_id=None,
        description="",
        **kw,
    )


def _hold(purchaser: Actor, plan: ProcurementPlan, line_id: int, amount: str, ref: str) -> PlanHold:
    return holds.plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=line_id, amount=D(amount), ref=ref)


def test_a_hold_lowers_the_free_figure_and_starts_the_plan(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("50000.00")
    hold = _hold(purchaser, plan, lines["big"], "40000", "sourcing:XJ000001")
    assert hold.active
    assert hold.amount == D("40000.00")
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("10000.00")
    assert holds.plan_hold_get("sourcing:XJ000001") == hold
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EXECUTING
    # No ledger entry: the plan still reserves everything.
    assert reservations_for_ref(plan.ref) == [(lines["big"], D("50000.00"))]
    event = AuditEvent.objects.get(action="plans.hold.place")
    assert event.data == {"line": lines["big"], "amount": "40000.00", "ref": "sourcing:XJ000001"}


def test_checkout_cannot_spend_held_money(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    _hold(purchaser, plan, lines["big"], "40000", "sourcing:XJ000001")
    with pytest.raises(InsufficientBudget) as exc:
        _commit(purchaser, plan, lines["big"], "10000.01", "order:DD1")
    assert "¥10,000.00" in str(exc.value.message)
    assert "¥40,000.00" in str(exc.value.message)
    _commit(purchaser, plan, lines["big"], "10000", "order:DD1")
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("0.00")


def test_the_award_consumes_its_own_hold(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    _hold(purchaser, plan, lines["big"], "40000", "sourcing:XJ000001")
    _hold(purchaser, plan, lines["big"], "5000", "sourcing:JJ000002")
    # 5,000 free + its own 40,000; the other hold's money stays out of reach.
    with pytest.raises(InsufficientBudget):
        _commit(purchaser, plan, lines["big"], "45000.01", "order:DD1", hold_ref="sourcing:XJ000001")
    assert holds.plan_hold_get("sourcing:XJ000001") is not None  # nothing changed
    _commit(purchaser, plan, lines["big"], "42000", "order:DD1", hold_ref="sourcing:XJ000001")
    assert holds.plan_hold_get("sourcing:XJ000001") is None
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("3000.00")
    assert AuditEvent.objects.filter(action="plans.hold.release", data__reason="committed").count() == 1


def test_commit_with_an_unknown_hold_is_refused(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    with pytest.raises(ValidationFailed) as exc:
        _commit(purchaser, plan, lines["big"], "100", "order:DD1", hold_ref="sourcing:XJ000009")
    assert "hold_ref" in exc.value.fields


def test_hold_refusals(purchaser: Actor, other_unit_purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    with pytest.raises(InsufficientBudget):
        _hold(purchaser, plan, lines["big"], "50000.01", "sourcing:XJ000001")
    with pytest.raises(ValidationFailed):
        _hold(purchaser, plan, lines["big"], "0", "sourcing:XJ000001")
    with pytest.raises(ValidationFailed):
        _hold(purchaser, plan, lines["big"], "1.005", "sourcing:XJ000001")
    with pytest.raises(ValidationFailed):
        _hold(purchaser, plan, lines["small"], "10", "sourcing:XJ000001")  # not a funding line
    with pytest.raises(ValidationFailed):
        _hold(purchaser, plan, lines["big"], "10", "")
    with pytest.raises(NotFound):
        _hold(other_unit_purchaser, plan, lines["big"], "10", "sourcing:XJ000001")
    _hold(purchaser, plan, lines["big"], "10", "sourcing:XJ000001")
    with pytest.raises(Conflict):
        _hold(purchaser, plan, lines["big"], "10", "sourcing:XJ000001")
    assert PlanHold.objects.count() == 1


def test_no_hold_on_a_plan_not_in_force(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"])
    with pytest.raises(InvalidTransition):
        _hold(purchaser, plan, lines["big"], "10", "sourcing:XJ000001")


def test_release_is_idempotent_and_audited(
    purchaser: Actor, other_unit_purchaser: Actor, lines: dict[str, int]
) -> None:
    plan = _plan(purchaser, lines["big"])
    _hold(purchaser, plan, lines["big"], "40000", "sourcing:XJ000001")
    with pytest.raises(NotFound):
        holds.plan_hold_release(actor=other_unit_purchaser, ref="sourcing:XJ000001")
    released = holds.plan_hold_release(actor=purchaser, ref="sourcing:XJ000001")
    assert released is not None
    assert released.released_at is not None
    assert holds.plan_hold_release(actor=purchaser, ref="sourcing:XJ000001") is None
    assert holds.plan_hold_release(actor=purchaser, ref="sourcing:nothing") is None
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("50000.00")
    assert AuditEvent.objects.filter(action="plans.hold.release").count() == 1
    # The ref may hold again once released.
    _hold(purchaser, plan, lines["big"], "100", "sourcing:XJ000001")


def test_savings_release_and_completion_respect_holds(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = _plan(purchaser, lines["big"])
    _hold(purchaser, plan, lines["big"], "40000", "sourcing:XJ000001")
    with pytest.raises(ValidationFailed):
        execution.plan_release_savings(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=D("10000.01"))
    execution.plan_release_savings(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=D("10000"))
    # Completion is refused while an event holds money; the event must end first.
    with pytest.raises(execution.PlanHasOpenEvents) as exc:
        execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert "XJ000001" in str(exc.value.message)
    assert len(holds.plan_holds_active(plan_id=plan.pk)) == 1
    holds.plan_hold_release(actor=purchaser, ref="sourcing:XJ000001")
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert holds.plan_holds_active(plan_id=plan.pk) == []
    assert reservations_for_ref(plan.ref) == []


def test_the_platform_itself_may_release_a_hold(purchaser: Actor, lines: dict[str, int]) -> None:
    from zhengcai.core.actor import SYSTEM

    plan = _plan(purchaser, lines["big"])
    _hold(purchaser, plan, lines["big"], "100", "sourcing:XJ000001")
    assert holds.plan_hold_release(actor=SYSTEM, ref="sourcing:XJ000001") is not None
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("50000.00")
