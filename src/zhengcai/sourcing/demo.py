"""Demo inquiries and auctions (called by ``web.demo.seed_demo`` after suppliers and listings).

Made through the real services, acting as the demo purchasers and suppliers, with times
relative to the seed time: an open inquiry with two quotes, an inquiry past its deadline
with three quotes awaiting the award, and a running reverse auction with a few bids. Each
scene has an e-mall plan of its own, above the direct-purchase limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.budgets.models import BudgetLine
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.listings.models import Category
from zhengcai.plans import services as plan_services
from zhengcai.plans.inputs import FundingInput
from zhengcai.plans.inputs import ItemInput as PlanItemInput
from zhengcai.plans.models import ProcurementPlan
from zhengcai.sourcing import outcomes, permissions, responses, services
from zhengcai.sourcing.inputs import ItemInput
from zhengcai.sourcing.models import SourcingEvent

CATEGORY = "computers-desktop"
SUPPLIERS = (
    ("supplier", "衢州市恒信办公用品有限公司"),
    ("supplier2", "浙江华越电脑科技有限公司"),
    ("supplier3", "衢州市墨彩打印耗材有限公司"),
)


def _actor(username: str, org: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation", "organisation__region")
        .filter(user__username=username, organisation__name=org, is_active=True)
        .first()
    )
    return actor_from_membership(membership.user, membership) if membership else None


def _plan(purchaser: Actor, unit: str, project: str, title: str, qty: str) -> Any:
    """The scene's e-mall plan (desktop computers at 5,000.00), filed; None without the line."""
    existing = ProcurementPlan.objects.filter(organisation_id=int(purchaser.organisation_id or 0), title=title).first()
    if existing is not None:
        return existing
    year = clock.today().year
    line = BudgetLine.objects.filter(
        budget_unit__name=unit, project_code=project, fiscal_year=year, source_system="demo"
    ).first()
    if line is None:
        return None
    total = str(Decimal(qty) * 5000)
    plan = plan_services.plan_create(
        actor=purchaser,
        title=title,
        fiscal_year=year,
        organisation_form="centralised",
        required_by=clock.today() + dt.timedelta(days=120),
        items=[PlanItemInput("A02010105", "台式计算机 i5/16G/512G", qty, "台", "5000")],
        fundings=[FundingInput(line.pk, total)],
    )
    return plan_services.plan_file(actor=purchaser, plan_id=plan.pk)


def _publish(purchaser: Actor, plan: Any, category: Category, *, kind: str, title: str, **times: Any) -> Any:
    qty = int(plan.items.first().quantity)
    return services.sourcing_publish(
        actor=purchaser,
        kind=kind,
        plan_id=plan.pk,
        line_id=plan.fundings.first().budget_line_id,
        title=title,
        category_id=category.pk,
        items=[
            ItemInput("台式计算机", "Intel i5 / 16GB / 512GB SSD / 23.8 英寸显示器，三年上门保修", str(qty), "台"),
        ],
        ceiling=str(Decimal(qty) * Decimal("4800")),
        delivery_region_code=purchaser.region_code,
        delivery_by=clock.today() + dt.timedelta(days=30),
        note="含送货上门、安装调试及旧机搬运。",
        **times,
    )


def _quote(supplier: Actor, event: Any, unit_price: str, days: int) -> None:
    item = event.items.first()
    responses.quote_submit(
        actor=supplier,
        event_id=event.pk,
        prices={item.pk: unit_price},
        delivery_days=days,
        note="原厂正品，含三年保修。",
    )


def _at(delta: dt.timedelta) -> clock.FrozenClock:
    return clock.FrozenClock(clock.now() + delta)


def _scene(title: str, purchaser: Actor | None, build: Callable[[Actor], Any]) -> int:
    if purchaser is None or purchaser.organisation_id is None:
        return 0
    if SourcingEvent.objects.filter(organisation_id=purchaser.organisation_id, title=title).exists():
        return 0
    build(purchaser)
    return 1


def seed_demo(*, actor: Actor) -> int:
    """Create this app's demo data unless it is there; return how many things were created."""
    if not actor.is_system:
        raise NotPermitted()
    category = Category.objects.filter(code=CATEGORY).first()
    suppliers = [a for a in (_actor(u, o) for u, o in SUPPLIERS) if a is not None and permissions.may_respond(a)]
    if category is None or len(suppliers) < 3:
        return 0
    s1, s2, s3 = suppliers
    created = 0
    with transaction.atomic():

        def open_inquiry(purchaser: Actor) -> None:
            plan = _plan(purchaser, "衢州第一中学", "YZ-01", "教研组办公电脑（在线询价）", "60")
            if plan is None:
                return
            now = clock.now()
            event = _publish(
                purchaser,
                plan,
                category,
                kind="inquiry",
                title="教研组办公电脑询价",
                closes_at=now + dt.timedelta(days=2),
            )
            _quote(s1, event, "4650", 7)
            _quote(s2, event, "4580", 5)

        def closed_inquiry(purchaser: Actor) -> None:
            with clock.use_clock(_at(-dt.timedelta(days=3))):
                plan = _plan(purchaser, "衢州市教育局", "JY-01", "机关办公电脑更新（在线询价）", "50")
                if plan is None:
                    return
                now = clock.now()
                event = _publish(
                    purchaser,
                    plan,
                    category,
                    kind="inquiry",
                    title="机关办公电脑更新询价",
                    closes_at=now + dt.timedelta(days=2),
                )
                _quote(s1, event, "4700", 7)
            with clock.use_clock(_at(-dt.timedelta(days=2))):
                _quote(s2, event, "4520", 5)
                _quote(s3, event, "4610", 10)
            outcomes.sourcing_settle(event_id=event.pk)

        def running_auction(purchaser: Actor) -> None:
            with clock.use_clock(_at(-dt.timedelta(minutes=30))):
                plan = _plan(purchaser, "衢州市人民医院", "YY-01", "门诊办公电脑（反向竞价）", "50")
                if plan is None:
                    return
                now = clock.now()
                event = _publish(
                    purchaser,
                    plan,
                    category,
                    kind="auction",
                    title="门诊办公电脑竞价",
                    closes_at=now + dt.timedelta(days=1),
                )
            ceiling = event.ceiling
            for minutes, bidder, down in ((25, s1, 2), (20, s2, 4), (12, s1, 5), (5, s3, 7)):
                with clock.use_clock(_at(-dt.timedelta(minutes=minutes))):
                    amount = ceiling - event.step_amount * down
                    responses.bid_place(actor=bidder, event_id=event.pk, amount=amount)

        created += _scene("教研组办公电脑询价", _actor("zhangwei", "衢州第一中学"), open_inquiry)
        created += _scene("机关办公电脑更新询价", _actor("purchaser", "衢州市教育局"), closed_inquiry)
        created += _scene("门诊办公电脑竞价", _actor("hospital", "衢州市人民医院"), running_auction)
    return created
