"""Demo data for this app (idempotent); called by ``web.demo.seed_demo`` after the listings.

For two demo units (衢州市教育局: ``purchaser``; 衢州第一中学: ``zhangwei``) a mall plan is
filed through the plans services, then orders are bought through the cart from the demo
suppliers' listings and moved on to every state: placed, confirmed, shipped, accepted (one
partly) with its payment request and a rating, declined and cancelled. The accepted ones are
back-dated a day so the plan-to-acceptance figures have something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.budgets.models import BudgetLine
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.listings.models import Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.orders import cart, services
from zhengcai.orders.models import Order
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.services import plan_create, plan_file
from zhengcai.suppliers.selectors import supplier_may_sell

PLAN_TITLE = "电子卖场日常办公用品及设备采购"
SUPPLIERS = {
    "supplier": "衢州市恒信办公用品有限公司",
    "supplier2": "浙江华越电脑科技有限公司",
    "supplier3": "衢州市墨彩打印耗材有限公司",
}
# (username, unit, budget line project code, plan amount)
UNITS = (("purchaser", "衢州市教育局", "JY-02", "60000"), ("zhangwei", "衢州第一中学", "YZ-03", "40000"))


def _actor(username: str, unit: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation", "organisation__region")
        .filter(user__username=username, organisation__name=unit, is_active=True)
        .first()
    )
    return actor_from_membership(membership.user, membership) if membership else None


def _items(amount: str) -> list[ItemInput]:
    """The plan's items, one per kind of goods the demo buys (checkout checks each product's
    catalogue class against them: 办公用品 A0504, 办公设备 A0202, 计算机设备 A0201)."""
    total = Decimal(amount)
    paper = printing = (total * Decimal("0.3")).quantize(Decimal("0.01"))
    computers = total - paper - printing
    return [
        ItemInput("A05040101", "复印纸及办公用品（电子卖场直购）", "1", "批", str(paper)),
        ItemInput("A02021000", "打印机及打印耗材（电子卖场直购）", "1", "批", str(printing)),
        ItemInput("A02010105", "计算机及显示器等设备（电子卖场直购）", "1", "批", str(computers)),
    ]


def _mall_plan(purchaser: Actor, unit: str, project: str, amount: str) -> ProcurementPlan | None:
    year = clock.today().year
    line = BudgetLine.objects.filter(
        budget_unit__name=unit, project_code=project, fiscal_year=year, source_system="demo"
    ).first()
    if line is None or line.available < int(amount):
        return None
    plan = plan_create(
        actor=purchaser,
        title=PLAN_TITLE,
        fiscal_year=year,
        organisation_form="decentralised",
        required_by=clock.today() + dt.timedelta(days=60),
        items=_items(amount),
        fundings=[FundingInput(line.pk, amount)],
    )
    return plan_file(actor=purchaser, plan_id=plan.pk)


def _listings(supplier_name: str, count: int) -> list[Listing]:
    return list(
        Listing.objects.filter(
            supplier__name=supplier_name, status=ListingStatus.LISTED, stock__gte=20, price__lte=3000
        ).order_by("price", "pk")[:count]
    )


def _buy(purchaser: Actor, plan: ProcurementPlan, supplier: str, quantities: tuple[int, ...]) -> Order | None:
    """One order through the cart: the first listings of ``supplier`` in these quantities."""
    listings = _listings(SUPPLIERS[supplier], len(quantities))
    if not listings or not supplier_may_sell(listings[0].supplier_id):
        return None
    cart.cart_clear(actor=purchaser)
    for listing, quantity in zip(listings, quantities, strict=False):
        cart.cart_add(actor=purchaser, listing_id=listing.pk, quantity=quantity)
    return services.order_checkout(
        actor=purchaser, plan_id=plan.pk, delivery_address=f"{purchaser.organisation_name}总务处"
    )[0]


def _at(hours_ago: float) -> Any:
    return clock.use_clock(clock.FrozenClock(clock.now() - dt.timedelta(hours=hours_ago)))


def _ship(seller: Actor, order: Order, tracking: str) -> None:
    services.order_confirm(actor=seller, order_id=order.pk)
    services.order_ship(actor=seller, order_id=order.pk, carrier="顺丰速运", tracking_number=tracking, note="送货上门")


def _scenes(purchaser: Actor, plan: ProcurementPlan, sellers: dict[str, Actor], partial: bool) -> int:
    steps: list[tuple[str, tuple[int, ...], str]] = [
        ("supplier", (10, 5), "accepted"),
        ("supplier2", (1,), "shipped"),
        ("supplier3", (4,), "confirmed"),
        ("supplier", (2,), "placed"),
        ("supplier2", (2,), "declined"),
        ("supplier3", (1,), "cancelled"),
    ]
    created = 0
    for n, (supplier, quantities, target) in enumerate(steps):
        seller = sellers.get(supplier)
        if seller is None:
            continue
        if target == "accepted":
            with _at(30):
                order = _buy(purchaser, plan, supplier, quantities)
            if order is None:
                continue
            with _at(28):
                _ship(seller, order, f"SF{order.pk:010d}")
            with _at(3):
                lines = list(order.lines.all())
                quantities_in = {lines[0].pk: max(1, lines[0].quantity - 2)} if partial else None
                services.order_accept(actor=purchaser, order_id=order.pk, quantities=quantities_in)
                services.order_rate(actor=purchaser, order_id=order.pk, stars=5, comment="送货及时，质量良好。")
                services.order_payment_request_create(actor=purchaser, order_id=order.pk)
        else:
            order = _buy(purchaser, plan, supplier, quantities)
            if order is None:
                continue
            if target in ("shipped", "confirmed"):
                services.order_confirm(actor=seller, order_id=order.pk)
            if target == "shipped":
                services.order_ship(
                    actor=seller, order_id=order.pk, carrier="中通快递", tracking_number=f"ZT{order.pk:010d}"
                )
            if target == "declined":
                services.order_decline(actor=seller, order_id=order.pk, reason="该型号暂时缺货，预计两周后到货。")
            if target == "cancelled":
                services.order_cancel(actor=purchaser, order_id=order.pk, reason="需求变更，改为下月采购。")
        created += 1
        if partial and n >= 3:
            break
    return created


def seed_demo(*, actor: Actor) -> int:
    """Create this app's demo data unless it is there; return how many orders were created."""
    if not actor.is_system:
        raise NotPermitted()
    sellers = {u: a for u, name in SUPPLIERS.items() if (a := _actor(u, name)) is not None}
    created = 0
    for n, (username, unit, project, amount) in enumerate(UNITS):
        purchaser = _actor(username, unit)
        if purchaser is None or purchaser.organisation_id is None:
            continue
        if not _listings(SUPPLIERS["supplier"], 2):
            continue  # no demo listings (yet): nothing to buy
        plan = ProcurementPlan.objects.filter(organisation_id=purchaser.organisation_id, title=PLAN_TITLE).first()
        if plan is not None and Order.objects.filter(plan=plan).exists():
            continue
        if plan is None:
            with transaction.atomic(), _at(32):
                plan = _mall_plan(purchaser, unit, project, amount)
        if plan is None:
            continue
        with transaction.atomic():
            created += _scenes(purchaser, plan, sellers, partial=n == 1)
    return created
