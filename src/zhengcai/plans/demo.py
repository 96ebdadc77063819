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
from zhengcai.budgets import payments
from zhengcai.budgets import services as budget_services
from zhengcai.budgets.models import BudgetLine
from zhengcai.catalogue.services import catalogue_seed_defaults
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.plans import execution, services
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.models import MethodChangeRequest, ProcurementPlan
from zhengcai.rules.selectors import working_calendar

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
    (
        "hospital",
        "衢州市人民医院",
        "手术室监护仪器",
        "A02100000",
        "多参数监护仪",
        "4",
        "台",
        "300000",
        "YY-01",
        "invited_tender",
        "centralised",
        ("file", "reject"),
    ),
    (
        "purchaser",
        "衢州市教育局",
        "教研室办公家具",
        "A05010000",
        "办公桌椅",
        "20",
        "套",
        "3000",
        "JY-02",
        "",
        "centralised",
        ("file", "pay"),
    ),
)

# The regulator's queue shows how long a request has waited: the demo one waits this long.
PENDING_AGE_WORKING_DAYS = 3


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
            # A request left pending is filed a few working days back, so its age shows.
            when = _days_ago() if steps == ("file",) and method else clock.get_clock()
            with clock.use_clock(when):
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


def _days_ago(working_days: int = PENDING_AGE_WORKING_DAYS) -> clock.FrozenClock:
    cal = working_calendar()
    today = clock.today()
    day = today
    while cal.working_days_between(day, today) < working_days:
        day -= dt.timedelta(days=1)
    return clock.FrozenClock(clock.now() - dt.timedelta(days=(today - day).days))


def _paid_scene(plan: Any, *, purchaser: Actor, total: Decimal, line_id: int) -> None:
    """Two deliveries of an executing plan, both accepted: one long ago and still unpaid (the
    overdue warning), one recently with its payment request waiting for the finance officer."""
    today = clock.today()
    for share, days_ago, pay in ((Decimal("0.6"), 45, False), (Decimal("0.3"), 5, True)):
        amount = (total * share).quantize(Decimal("0.01"))
        commitment = execution.plan_commit(
            actor=purchaser,
            plan_id=plan.pk,
            line_id=line_id,
            amount=amount,
            commitment_ref=f"contract:demo-{plan.pk}-{days_ago}",
            supplier_org_id=None,
            description=plan.title,
        )
        budget_services.commitment_accept(
            actor=purchaser,
            commitment_id=commitment.pk,
            accepted_amount=amount,
            accepted_on=today - dt.timedelta(days=days_ago),
        )
        if pay:
            payment = payments.payment_request_create(actor=purchaser, commitment_id=commitment.pk, amount=amount)
            payments.payment_request_submit(actor=purchaser, payment_id=payment.pk)


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
                commitment_ref=f"contract:demo-{plan.pk}",
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
        elif step == "reject" and regulator is not None:
            request = MethodChangeRequest.objects.get(plan_id=plan.pk, status="pending")
            services.plan_change_decide(
                actor=regulator,
                request_id=request.pk,
                approve=False,
                comments="未说明只能从有限范围供应商处采购的理由，请补充市场调研材料后重新申报。",
            )
        elif step == "pay":
            _paid_scene(plan, purchaser=purchaser, total=total, line_id=line_id)
