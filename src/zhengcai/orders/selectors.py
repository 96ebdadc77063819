"""Reading orders: visibility per role, the checkout choices, the timeline."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets.refs import ref_label
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.money import ZERO
from zhengcai.orders import permissions
from zhengcai.orders.fit import fits, items_text, listing_code, plan_codes
from zhengcai.orders.models import Order
from zhengcai.orders.states import ENDED_UNSOLD, ORDER_MACHINE, OrderSource, OrderStatus
from zhengcai.plans import selectors as plan_selectors
from zhengcai.plans.holds import plan_line_free
from zhengcai.plans.methods import Channel, MallMode
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import IN_FORCE
from zhengcai.rules.selectors import ruleset_stamp


def orders_visible(*, actor: Actor, status: str = "", q: str = "") -> QuerySet[Order]:
    qs = permissions.orders.visible(actor, Order.objects.select_related("buyer", "supplier", "plan"))
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(supplier_name__icontains=q)
            | Q(buyer__name__icontains=q)
            | Q(lines__title__icontains=q)
        ).distinct()
    return qs


def order_get(*, actor: Actor, pk: int) -> Order:
    """One visible order; missing and not visible: NotFound."""
    return permissions.orders.get_visible(
        actor, Order.objects.select_related("buyer", "supplier", "plan", "rule_set"), pk=pk
    )


def order_actions(*, actor: Actor, order: Order) -> set[str]:
    """What ``actor`` may do to ``order`` now (for the buttons)."""
    actions: set[str] = set()
    allowed = set(ORDER_MACHINE.allowed_actions(order.status))
    if permissions.orders.can(actor, permissions.SELL, order):
        actions |= allowed & {"confirm", "decline", "ship"}
        if order.status == OrderStatus.SHIPPED and not to_ship(order):
            actions.discard("ship")  # a partial shipment: the rest can still be shipped
    if permissions.orders.can(actor, permissions.BUY, order):
        actions |= allowed & {"cancel", "accept", "reject"}
        if order.status == OrderStatus.ACCEPTED:
            if not hasattr(order, "rating"):
                actions.add("rate")
            if order.payment_request_id is None:
                actions.add("payment_request")
    return actions


def to_ship(order: Order) -> dict[int, int]:
    """{order line id: quantity still to ship} of the lines with something left to ship."""
    return {
        line.pk: line.quantity - line.shipped_quantity
        for line in order.lines.all()
        if line.shipped_quantity < line.quantity
    }


# The tracking timeline names each step by what happened, not by the status it left the
# order in (rating and the payment request happen while the order stays accepted).
STEP_LABELS: dict[str, Any] = {
    "place": pgettext_lazy("order step", "Order placed"),
    "confirm": pgettext_lazy("order step", "Confirmed by the supplier"),
    "decline": pgettext_lazy("order step", "Declined by the supplier"),
    "cancel": pgettext_lazy("order step", "Cancelled"),
    "ship": pgettext_lazy("order step", "Shipped"),
    "reject": pgettext_lazy("order step", "Delivery rejected"),
    "accept": pgettext_lazy("order step", "Accepted"),
    "rate": pgettext_lazy("order step", "Supplier rated"),
    "payment_request": pgettext_lazy("order step", "Payment requested"),
}


def order_timeline(order: Order) -> list[dict[str, Any]]:
    """The order's tracking steps: label, time, who, note (a partial acceptance says so)."""
    steps = []
    for event in order.events.all():
        label: Any = STEP_LABELS.get(event.action) or event.get_status_display()
        if event.action == "accept" and order.partly_accepted:
            label = pgettext_lazy("order step", "Partly accepted")
        steps.append({"label": label, "action": event.action, "event": event})
    return steps


def order_links(*, actor: Actor, order: Order) -> dict[str, Any]:
    """Where the order comes from, as links the actor may follow: its plan, its budget
    commitment and, for an awarded order, the inquiry or auction (a link only where that
    page exists; otherwise its label alone)."""
    plan_visible = plan_selectors.plans_visible(actor=actor).filter(pk=order.plan_id).exists()
    commitment_visible = (
        order.commitment_id is not None
        and budget_selectors.commitments_visible(actor=actor).filter(pk=order.commitment_id).exists()
    )
    links: dict[str, Any] = {
        "plan": reverse("plans:detail", args=[order.plan_id]) if plan_visible else "",
        "commitment": reverse("budgets:commitment_detail", args=[order.commitment_id]) if commitment_visible else "",
        "source": "",
        "source_label": ref_label(order.source_ref) if order.source_ref else "",
    }
    prefix, _sep, rest = (order.source_ref or "").partition(":")
    # "sourcing:XJ000002" (the event number) or, on older orders, "sourcing:2" (its id).
    pk = rest[2:] if rest[:2] in ("XJ", "JJ") else rest
    if prefix == "sourcing" and pk.isdigit():
        with contextlib.suppress(NoReverseMatch):
            links["source"] = reverse("sourcing:detail", args=[int(pk)])
    return links


def status_counts(*, actor: Actor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in orders_visible(actor=actor).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def direct_limit(plan: ProcurementPlan) -> Decimal:
    """The direct-purchase limit (直购限额) of the rules in force for the plan's unit today."""
    rule_set = ruleset_stamp(region=plan.organisation.region, at=clock.now())
    return Decimal(rule_set.rule_values.mall_direct_purchase_limit)


def direct_spent(plan_id: int) -> Decimal:
    """What the plan's direct-purchase orders come to: every direct order not declined or
    cancelled, an accepted one at its accepted amount (the limit is per plan, so splitting a
    purchase into several checkouts (化整为零) does not get round it)."""
    total = (
        Order.objects.filter(plan_id=plan_id, source=OrderSource.DIRECT)
        .exclude(status__in=list(ENDED_UNSOLD))
        .aggregate(
            total=Sum(
                Case(
                    When(status=OrderStatus.ACCEPTED, then=F("accepted_amount")),
                    default=F("total_amount"),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                )
            )
        )["total"]
    )
    return total or ZERO


def direct_left(plan: ProcurementPlan) -> Decimal:
    """How much more the plan may still buy by direct purchase."""
    return max(direct_limit(plan) - direct_spent(plan.pk), ZERO)


def allows_direct(plan: ProcurementPlan) -> bool:
    """Whether the plan's e-mall modes include direct purchase (直购)."""
    return str(MallMode.DIRECT) in (plan.mall_modes or [])


def plans_for_checkout(*, actor: Actor, listings: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """The unit's plans in force in the e-mall channel that allow direct purchase, with their
    funding lines, what is free on each (the plan's reservation less what its open inquiries
    and auctions hold: ``plans.holds.plan_line_free``) and what is left of the direct-purchase
    limit (for the checkout form; checkout quotes the same figures when it refuses).

    With the cart's ``listings``, a plan none of them fits (``orders.fit``) is left out, and
    each row names the products the plan does not cover (``misfits``: checkout would refuse
    them); plans that cover the whole cart come first."""
    if not permissions.is_purchaser(actor):
        return []
    goods = [(listing, listing_code(listing)) for listing in listings]
    rows = []
    plans = (
        plan_selectors.plans_visible(actor=actor)
        .filter(channel=Channel.E_MALL, status__in=IN_FORCE)
        .select_related("organisation__region")
        .prefetch_related("fundings")
    )
    candidates = [plan for plan in plans.order_by("-created_at")[:50] if allows_direct(plan)]
    line_ids = {funding.budget_line_id for plan in candidates for funding in plan.fundings.all()}
    lines = {line.pk: line for line in budget_selectors.budget_lines_visible(actor=actor).filter(pk__in=line_ids)}
    limits: dict[Any, Decimal] = {}
    for plan in candidates:
        codes = [code for code, _desc in plan_codes(plan)]
        misfits = [listing.title for listing, code in goods if not fits(code, codes)]
        if goods and len(misfits) == len(goods):
            continue
        fundings: list[dict[str, Any]] = []
        free_total = ZERO
        for funding in plan.fundings.all():
            line = lines.get(funding.budget_line_id)
            fundings.append(
                {
                    "line_id": funding.budget_line_id,
                    "line": line,
                    "outstanding": plan_line_free(plan_id=plan.pk, line_id=funding.budget_line_id),
                }
            )
            free_total += fundings[-1]["outstanding"]
        region_id = plan.organisation.region_id
        if region_id not in limits:  # the rules in force are per region: one look-up each
            limits[region_id] = direct_limit(plan)
        left = max(limits[region_id] - direct_spent(plan.pk), ZERO)
        rows.append(
            {
                "plan": plan,
                "fundings": fundings,
                "direct_left": left,
                # What a checkout against the plan can come to at most: the direct-purchase
                # limit left, but never more than the plan has free to order.
                "orderable": min(left, free_total),
                "misfits": misfits,
                "items_text": items_text(plan),
            }
        )
    rows.sort(key=lambda row: bool(row["misfits"]))
    return rows
