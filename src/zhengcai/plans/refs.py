"""How the budget ledger shows a plan's reference: "plan:11" reads as CG2026-000011."""

from __future__ import annotations

from zhengcai.budgets.refs import ref_labeller_register
from zhengcai.plans.models import ProcurementPlan


def plan_ref_label(rest: str) -> str | None:
    if not rest.isdigit():
        return None
    plan = ProcurementPlan.objects.filter(pk=int(rest)).only("pk", "fiscal_year").first()
    return plan.number if plan is not None else None


def register() -> None:
    ref_labeller_register("plan", plan_ref_label)
