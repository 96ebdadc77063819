"""Demo plans for the Quzhou scene (called from ``web.demo.seed_demo`` after the budget lines).

Plans are made through the real services, acting as the demo purchasers and the demo
regulator, so reservations, decisions and the audit trail are what they would be in use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.budgets.models import BudgetLine
from zhengcai.catalogue.services import catalogue_seed_defaults
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.plans import execution, services
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.models import MethodChangeRequest, ProcurementPlan

# (username, unit, title, code, description, qty, unit, price, project code, method, form, steps)
DEMO_PLANS: tuple[tuple[str, str, str, str, str, str, str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "purchaser",
        "衢州市教育局",
        "机关办公用纸",
        "A05040101",
        "A4 复印纸 70g",
        "400",
        "箱",
        "150",
        "JY-02",
        "",
        "decentralised",
        (),
    ),
    (
        "zhangwei",
        "衢州第一中学",
        "教师办公电脑",
        "A02010105",
        "台式计算机 i5/16G/512G",
        "20",
        "台",
        "5000",
        "YZ-01",
        "",
        "centralised",
        ("file",),
    ),
    (
        "purchaser",
        "衢州市教育局",
        "全市中小学智慧教室设备",
        "A02010105",
        "学生机房台式计算机",
        "440",
        "台",
        "5000",
        "JY-01",
        "competitive_negotiation",
        "centralised",
        ("file",),
    ),
    (
        "zhangwei",
        "衢州第一中学",
        "多媒体教室投影仪",
        "A02020200",
        "激光投影仪 5000 流明",
        "30",
        "台",
        "8000",
        "YZ-01",
        "",
        "centralised",
        ("file", "commit"),
    ),
    (
        "zhangwei",
        "衢州第一中学",
        "办公室打印机",
        "A02021000",
        "A4 黑白激光打印机",
        "10",
        "台",
        "2500",
        "YZ-03",
        "",
        "centralised",
        ("file", "commit", "complete"),
    ),
    (
        "zhangwei",
        "衢州第一中学",
        "教室空调更新",
        "A02061804",
        "壁挂式空调 1.5 匹",
        "10",
        "台",
        "3200",
        "YZ-03",
        "",
        "centralised",
        ("file", "cancel"),
    ),
    (
        "hospital",
        "衢州市人民医院",
        "检验科分析仪器",
        "A02100000",
        "全自动生化分析仪",
        "3",
        "台",
        "500000",
        "YY-01",
        "",
        "centralised",
        ("file", "intention"),
    ),
    (
        "hospital",
        "衢州市人民医院",
        "影像科测量仪器",
        "A02100000",
        "超声测量仪",
        "7",
        "台",
        "300000",
        "YY-01",
        "competitive_consultation",
        "centralised",
        ("file", "approve"),
    ),
)


def _actor_for(username: str, unit: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation", "organisation__region")
        .filter(user__username=username, organisation__name=unit, is_active=True)
        .first()
    )
    return actor_from_membership(membership.user, membership) if membership else None


def plans_seed_demo(*, actor: Actor) -> int:
    """Create the demo plans in every state; idempotent (a unit's plan of that title is kept).

    Preconditions: the platform itself acts (a system actor); the demo people and the budget
    lines exist (missing ones are skipped). Returns how many plans were created.
    """
    if not actor.is_system:
        raise NotPermitted()
    year = clock.today().year
    required_by = clock.today() + dt.timedelta(days=120)
    regulator = _actor_for("regulator", "衢州市财政局")
    created = 0
    with transaction.atomic():
        catalogue_seed_defaults(actor=actor)
        for username, unit, title, code, desc, qty, uom, price, project, method, form, steps in DEMO_PLANS:
            purchaser = _actor_for(username, unit)
            line = BudgetLine.objects.filter(
                budget_unit__name=unit, project_code=project, fiscal_year=year, source_system="demo"
            ).first()
            if purchaser is None or purchaser.organisation_id is None or line is None:
                continue
            if ProcurementPlan.objects.filter(organisation_id=purchaser.organisation_id, title=title).exists():
                continue
            total = str(Decimal(qty) * Decimal(price))
            plan = services.plan_create(
                actor=purchaser,
                title=title,
                fiscal_year=year,
                organisation_form=form,
                required_by=required_by,
                items=[ItemInput(code, desc, qty, uom, price)],
                fundings=[FundingInput(line.pk, total)],
                chosen_method=method,
            )
            created += 1
            _steps(plan, steps, purchaser=purchaser, regulator=regulator, total=Decimal(total), line_id=line.pk)
    return created


def _steps(
    plan: Any, steps: tuple[str, ...], *, purchaser: Actor, regulator: Actor | None, total: Decimal, line_id: int
) -> None:
    for step in steps:
        if step == "file":
            change = services.ChangeInput(
                reasons="项目技术复杂、需求需与供应商谈判确定，不能事先计算出价格总额，申请变更采购方式。"
            )
            services.plan_file(actor=purchaser, plan_id=plan.pk, change=change)
        elif step == "commit":
            execution.plan_commit(
                actor=purchaser,
                plan_id=plan.pk,
                line_id=line_id,
                amount=(total * Decimal("0.96")).quantize(Decimal("0.01")),
                commitment_ref=f"order:demo-{plan.pk}",
                supplier_org_id=None,
                description=plan.title,
            )
        elif step == "complete":
            execution.plan_complete(actor=purchaser, plan_id=plan.pk)
        elif step == "cancel":
            services.plan_cancel(actor=purchaser, plan_id=plan.pk, reason="需求取消")
        elif step == "intention":
            execution.plan_intention_publish(
                actor=purchaser, plan_id=plan.pk, summary=f"{plan.title}，预计采购时间为本年度第三季度。"
            )
        elif step == "approve" and regulator is not None:
            request = MethodChangeRequest.objects.get(plan_id=plan.pk, status="pending")
            services.plan_change_decide(
                actor=regulator, request_id=request.pk, approve=True, comments="理由充分，同意变更。"
            )
