"""The write path for orders: placing them (checkout, awarded orders) and, re-exported from
``lifecycle``, every later step. Cart services are in ``cart.py``.

Placing is all-or-nothing: in one transaction the stock of every line is taken (listing rows
locked in id order, so two checkouts never deadlock), the orders are created and each order
commits its amount on the chosen funding line of the plan (``plans.execution.plan_commit``,
commitment ref ``order:<number>``). Any refusal rolls everything back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Membership, Organisation
from zhengcai.audit.services import audit_record
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import DomainError, NotFound, ValidationFailed
from zhengcai.core.money import ZERO, cny, format_cny
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings import selectors as listing_selectors
from zhengcai.listings import services as listing_services
from zhengcai.notify.services import notification_send
from zhengcai.orders import permissions, selectors
from zhengcai.orders.fit import check_goods_fit
from zhengcai.orders.models import CartLine, Order, OrderEvent, OrderLine
from zhengcai.orders.states import OrderSource
from zhengcai.orders.types import AwardedItem
from zhengcai.plans import execution as plan_execution
from zhengcai.plans.holds import plan_line_free
from zhengcai.plans.methods import Channel, MallMode
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import IN_FORCE
from zhengcai.rules.selectors import ruleset_stamp, working_calendar
from zhengcai.suppliers import selectors as supplier_selectors

MAX_QUANTITY = 1_000_000

# -- helpers shared with lifecycle.py and cart.py ----------------------------------------------


def unit_actor(actor: Actor, unit: Organisation) -> Actor:
    """The actor that moves the budget unit's money for an order step.

    The unit's own purchaser acts as themself. A supplier declining, or the platform's
    sweeper, act on the unit's commitment through the platform (a system actor of the unit,
    labelled with who caused it), since budgets lets only the unit touch its lines.
    """
    if permissions.is_purchaser(actor) and actor.organisation_id == unit.pk:
        return actor
    return Actor(
        user_id=None,
        username=f"mall:{actor.username}"[:150],
        organisation_id=unit.pk,
        organisation_name=unit.name,
        org_type=OrgType.BUDGET_UNIT,
        role=Role.PURCHASER,
        region_code=unit.region.code,
        is_system=True,
    )


def audit_decimal(value: Decimal) -> str:
    """An amount for the audit data, to the fen ("6709.77", not "6709.77000000000" as a
    database sum may give); a value with digits past the fen is kept as it is."""
    fen = value.quantize(Decimal("0.01"))
    return str(fen) if fen == value else str(value)


def audit_order(actor: Actor, action: str, order: Order, **data: Any) -> None:
    payload = {k: audit_decimal(v) if isinstance(v, Decimal) else v for k, v in data.items()}
    payload.setdefault("number", order.number)
    payload.setdefault("status", order.status)
    audit_record(actor=actor, action=action, obj=order, data=payload, region_code=order.region_code)


def add_event(actor: Actor, order: Order, action: str, note: str = "") -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, action=action, status=order.status, note=note[:1000], actor_label=actor.label[:300], at=clock.now()
    )


def members_of(organisation_id: int) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(organisation_id=organisation_id, is_active=True).values_list("user_id", flat=True)
        )
    )


def notify_org(*, actor: Actor, organisation_id: int, order: Order, event: str, title: str) -> None:
    recipients = members_of(organisation_id)
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            title=title[:200],
            url=f"/mall/orders/{order.pk}/",
            key=f"order:{order.pk}:{event}",
            organisation_id=organisation_id,
        )


def clean_quantity(value: Any, *, field: str = "quantity") -> int:
    """A whole number of units from 1 to MAX_QUANTITY; anything else is refused."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    try:
        quantity = int(text)
    except ValueError:
        quantity = 0
    if str(quantity) != text or quantity < 1 or quantity > MAX_QUANTITY:
        message = _("Enter a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY}
        raise ValidationFailed(message, fields={field: [message]})
    return quantity


def lock_order(*, actor: Actor, order_id: int, action: str) -> Order:
    """The order, locked; NotFound unless visible and ``action`` is the actor's party's step.

    A step of the other party (a purchaser confirming, a supplier accepting, a regulator
    rating) reads as not found, as for an order the actor cannot see: the step does not exist
    for that actor (QA4 #17), and a 403 would only confirm what the caller may not do."""
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None or not permissions.orders.can(actor, action, order):
        raise NotFound()
    return order


# -- placing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LineIn:
    title: str
    quantity: int
    unit_price: Decimal
    reference_price: Decimal | None = None
    listing_id: int | None = None
    brand: str = ""
    model: str = ""
    unit: str = ""

    @property
    def amount(self) -> Decimal:
        return cny(self.unit_price * self.quantity)


@dataclass(frozen=True)
class _OrderIn:
    supplier_id: int
    line_id: int
    lines: tuple[_LineIn, ...]
    source: str = OrderSource.DIRECT
    source_ref: str = ""
    hold_ref: str = ""  # the plan hold of the inquiry or auction this order is awarded from

    @property
    def total(self) -> Decimal:
        return sum((x.amount for x in self.lines), ZERO)


def _plan_for(actor: Actor, plan_id: Any, *, direct: bool = False) -> ProcurementPlan:
    """The buyer's plan in force in the e-mall channel (allowing direct purchase when
    ``direct``); a clear refusal otherwise. Another unit's plan reads as a missing one."""
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        pk = 0
    plan = ProcurementPlan.objects.select_related("organisation", "organisation__region").filter(pk=pk).first()
    if plan is None or not pk or (plan.organisation_id != actor.organisation_id and not actor.is_system):
        message = _("Choose a procurement plan: every e-mall order is made against a plan of your unit.")
        raise ValidationFailed(message, code="plan_required", fields={"plan_id": [message]})
    if plan.status not in IN_FORCE:
        not_in_force = _("The plan %(number)s is not in force (filed or executing); it cannot be ordered against.") % {
            "number": plan.number
        }
        raise ValidationFailed(not_in_force, code="plan_not_in_force", fields={"plan_id": [not_in_force]})
    if plan.channel != Channel.E_MALL:
        not_mall = _("The plan %(number)s is not to be bought in the e-mall (its channel is “%(channel)s”).") % {
            "number": plan.number,
            "channel": plan.get_channel_display() or "-",
        }
        raise ValidationFailed(not_mall, code="plan_not_mall", fields={"plan_id": [not_mall]})
    if direct and not selectors.allows_direct(plan):
        not_direct = _(
            "The plan %(number)s may not be bought by direct purchase (its e-mall modes: %(modes)s): "
            "start an online inquiry or a reverse auction for it instead."
        ) % {
            "number": plan.number,
            "modes": "、".join(str(MallMode(m).label) for m in plan.mall_modes if m in MallMode.values) or "-",
        }
        raise ValidationFailed(not_direct, code="plan_not_direct", fields={"plan_id": [not_direct]})
    return plan


def _funding_line(plan: ProcurementPlan, line_id: Any, *, field: str = "line_id") -> int:
    try:
        line = int(line_id)
    except (TypeError, ValueError):
        line = 0
    if not plan.fundings.filter(budget_line_id=line).exists():
        message = _("Choose one of the plan's funding lines.")
        raise ValidationFailed(message, code="line_not_in_plan", fields={field: [message]})
    return line


def _take_stock(actor: Actor, orders: Iterable[_OrderIn]) -> None:
    """Take the stock of every listing line, locking listings in id order."""
    wanted: dict[int, tuple[int, str]] = {}
    for order in orders:
        for line in order.lines:
            if line.listing_id is not None:
                quantity, _title = wanted.get(line.listing_id, (0, line.title))
                wanted[line.listing_id] = (quantity + line.quantity, line.title)
    for listing_id in sorted(wanted):
        quantity, title = wanted[listing_id]
        try:
            listing_services.stock_take(actor=actor, listing_id=listing_id, quantity=quantity)
        except NotFound as exc:
            message = _("“%(title)s” is no longer on sale.") % {"title": title}
            raise ValidationFailed(message, code="listing_gone") from exc
        except DomainError as exc:
            raise type(exc)(
                _("“%(title)s”: %(problem)s") % {"title": title, "problem": exc.message},
                code=exc.code,
                params=exc.params,
                fields=exc.fields,
            ) from exc


def _create(
    actor: Actor,
    buyer_actor: Actor,
    plan: ProcurementPlan,
    spec: _OrderIn,
    *,
    delivery_address: str = "",
    note: str = "",
) -> Order:
    """Create one order with its lines and commit its amount on the plan (caller's transaction)."""
    now = clock.now()
    buyer = plan.organisation
    supplier = Organisation.objects.get(pk=spec.supplier_id)
    rule_set = ruleset_stamp(region=buyer.region, at=now)
    confirm_due = working_calendar().deadline_at(clock.today(), rule_set.rule_values.mall_order_confirm_due.period)
    order = Order.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}",
        rule_set=rule_set,
        buyer=buyer,
        buyer_user_id=actor.user_id,
        buyer_label=actor.label[:300],
        region_code=buyer.region.code,
        supplier=supplier,
        supplier_name=supplier.name[:200],
        supplier_size=supplier_selectors.supplier_size(supplier.pk) or "",
        supplier_is_sme=supplier_selectors.supplier_is_sme(supplier.pk),
        plan=plan,
        line_id=spec.line_id,
        source=spec.source,
        source_ref=spec.source_ref[:64],
        total_amount=spec.total,
        reference_amount=sum((cny((x.reference_price or x.unit_price) * x.quantity) for x in spec.lines), ZERO),
        delivery_address=delivery_address,
        note=note,
        placed_at=now,
        confirm_due_at=confirm_due,
        updated_at=now,
    )
    # The number carries the platform's local date (Asia/Shanghai), the date people see.
    order.number = f"DD{timezone.localtime(now, PLATFORM_TZ):%Y%m%d}{order.pk:06d}"
    order.save(update_fields=["number"])
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            listing_id=x.listing_id,
            title=x.title[:300],
            brand=x.brand[:60],
            model=x.model[:80],
            unit=x.unit[:10],
            unit_price=x.unit_price,
            reference_price=x.reference_price,
            quantity=x.quantity,
            amount=x.amount,
        )
        for x in spec.lines
    )
    try:
        commitment = plan_execution.plan_commit(
            actor=buyer_actor,
            plan_id=plan.pk,
            line_id=spec.line_id,
            amount=order.total_amount,
            commitment_ref=order.commitment_ref,
            supplier_org_id=supplier.pk,
            description=str(
                _("E-mall order %(number)s, %(supplier)s") % {"number": order.number, "supplier": supplier.name}
            ),
            hold_ref=spec.hold_ref or None,
        )
    except InsufficientBudget as exc:
        raise InsufficientBudget(
            _("The order to %(supplier)s (%(amount)s) is beyond what the plan still holds on this line. %(detail)s")
            % {"supplier": supplier.name, "amount": format_cny(order.total_amount), "detail": exc.message},
            fields={"line_id": [str(exc.message)]},
        ) from exc
    order.commitment_id = commitment.pk
    order.save(update_fields=["commitment_id"])
    audit_order(
        actor,
        "orders.order.place",
        order,
        supplier=supplier.pk,
        plan=plan.pk,
        line=spec.line_id,
        amount=order.total_amount,
        source=spec.source,
        source_ref=spec.source_ref,
    )
    add_event(actor, order, "place")
    notify_org(
        actor=actor,
        organisation_id=supplier.pk,
        order=order,
        event="placed",
        title=str(_("New order %(number)s from %(buyer)s") % {"number": order.number, "buyer": buyer.name}),
    )
    return order


def _require_buyer(actor: Actor) -> None:
    if not (permissions.is_purchaser(actor) or actor.is_system):
        raise NotFound()


def order_place_awarded(
    *,
    actor: Actor,
    plan_id: int,
    line_id: int,
    supplier_org_id: int,
    items: list[AwardedItem],
    source: str,
    source_ref: str,
    hold_ref: str | None = None,
) -> Order:
    """Place the order for the winner of an online inquiry or a reverse auction.

    Preconditions: the actor is the plan's unit's purchaser (or the platform acting for it);
    the plan is in force in the e-mall channel and draws on ``line_id``; ``source`` is
    ``"inquiry"`` or ``"reverse_auction"``; at least one item with a quantity >= 1 and a unit
    price > 0; what is free on the plan's line (``plans.holds.plan_line_free``) plus, with
    ``hold_ref``, the inquiry's or auction's own plan hold covers the total (the hold is
    released in the same transaction: the award consumes it). No direct-purchase limit
    (the method was the inquiry or the auction). Items with a ``listing_id`` take its stock.
    Effects: one order (status placed) with its commitment ``order:<number>``; the supplier
    is notified. Audit event: ``orders.order.place``. Nothing changes on a refusal.
    """
    _require_buyer(actor)
    if source not in (OrderSource.INQUIRY, OrderSource.REVERSE_AUCTION):
        message = _("An awarded order comes from an online inquiry or a reverse auction.")
        raise ValidationFailed(message, fields={"source": [message]})
    if not items:
        message = _("An order needs at least one item.")
        raise ValidationFailed(message, fields={"items": [message]})
    lines = []
    for item in items:
        price = cny(item.unit_price)
        if price <= 0:
            message = _("The unit price must be greater than zero.")
            raise ValidationFailed(message, fields={"items": [message]})
        description = (item.description or "").strip()
        if not description:
            message = _("Every item needs a description.")
            raise ValidationFailed(message, fields={"items": [message]})
        reference = cny(item.reference_price) if item.reference_price is not None else None
        lines.append(
            _LineIn(
                title=description,
                quantity=clean_quantity(item.quantity, field="items"),
                unit_price=price,
                reference_price=reference,
                listing_id=item.listing_id,
            )
        )
    if not supplier_selectors.supplier_may_sell(int(supplier_org_id)):
        message = _("This supplier may not sell at the moment.")
        raise ValidationFailed(message, code="supplier_may_not_sell", fields={"supplier_org_id": [message]})
    with transaction.atomic():
        plan = _plan_for(actor, plan_id)
        buyer_actor = unit_actor(actor, plan.organisation)
        spec = _OrderIn(
            supplier_id=int(supplier_org_id),
            line_id=_funding_line(plan, line_id),
            lines=tuple(_with_listing_snapshot(lines)),
            source=source,
            source_ref=source_ref or "",
            hold_ref=hold_ref or "",
        )
        _take_stock(actor, [spec])
        return _create(actor, buyer_actor, plan, spec)


def _with_listing_snapshot(lines: list[_LineIn]) -> list[_LineIn]:
    """Fill brand, model and unit (and a missing reference price) from the listed product."""
    result = []
    for line in lines:
        if line.listing_id is None:
            result.append(line)
            continue
        try:
            listing = listing_selectors.listing_get_public(line.listing_id)
        except NotFound:
            result.append(line)
            continue
        result.append(
            _LineIn(
                title=line.title,
                quantity=line.quantity,
                unit_price=line.unit_price,
                reference_price=line.reference_price if line.reference_price is not None else listing.reference_price,
                listing_id=line.listing_id,
                brand=listing.brand,
                model=listing.model,
                unit=listing.unit,
            )
        )
    return result


def _check_direct_limit(plan: ProcurementPlan, specs: list[_OrderIn], names: dict[int, str]) -> None:
    """The plan's direct orders (not declined or cancelled) plus this checkout stay within the
    direct-purchase limit; the refusal names the supplier whose order goes beyond it."""
    limit = selectors.direct_limit(plan)
    spent = selectors.direct_spent(plan.pk)
    left = max(limit - spent, ZERO)
    running = ZERO
    for spec in specs:
        running += spec.total
        if running <= left:
            continue
        field = f"funding.{spec.supplier_id}"
        message = _(
            "The order to %(supplier)s (%(total)s) goes beyond the direct-purchase limit of the plan "
            "%(plan)s: %(limit)s per plan, %(spent)s already ordered directly, %(left)s left, this checkout "
            "comes to %(checkout)s. Buy the rest through an online inquiry or a reverse auction."
        ) % {
            "supplier": names.get(spec.supplier_id, "-"),
            "total": format_cny(spec.total),
            "plan": plan.number,
            "limit": format_cny(limit),
            "spent": format_cny(spent),
            "left": format_cny(left),
            "checkout": format_cny(sum((x.total for x in specs), ZERO)),
        }
        raise ValidationFailed(message, code="above_direct_limit", fields={field: [message]})


def _check_free(plan: ProcurementPlan, specs: list[_OrderIn], names: dict[int, str], free: dict[int, Decimal]) -> None:
    """Each funding line's orders of this checkout fit in what was free on it before the
    checkout (the figure the cart shows); the refusal names the supplier and quotes it."""
    used: dict[int, Decimal] = {}
    for spec in specs:
        before = used.get(spec.line_id, ZERO)
        used[spec.line_id] = before + spec.total
        available = free.get(spec.line_id, ZERO)
        if used[spec.line_id] <= available:
            continue
        if before > 0:
            message = _(
                "The order to %(supplier)s (%(amount)s) is beyond what the plan %(plan)s has free on this "
                "budget line: %(free)s, of which the other orders of this checkout take %(before)s."
            ) % {
                "supplier": names.get(spec.supplier_id, "-"),
                "amount": format_cny(spec.total),
                "plan": plan.number,
                "free": format_cny(available),
                "before": format_cny(before),
            }
        else:
            message = _(
                "The order to %(supplier)s (%(amount)s) is beyond what the plan %(plan)s has free on this "
                "budget line: %(free)s."
            ) % {
                "supplier": names.get(spec.supplier_id, "-"),
                "amount": format_cny(spec.total),
                "plan": plan.number,
                "free": format_cny(available),
            }
        raise InsufficientBudget(message, fields={f"funding.{spec.supplier_id}": [message]})


def order_checkout(
    *,
    actor: Actor,
    plan_id: Any,
    funding: dict[Any, Any] | None = None,
    delivery_address: str = "",
    note: str = "",
) -> list[Order]:
    """Check the purchaser's cart out: one direct-purchase (直购) order per supplier.

    ``funding`` maps a supplier id to the plan's funding line that pays its order; a plan
    with one funding line needs none. Preconditions: a purchaser; the cart is not empty and
    every product in it is on sale; the plan is one of the unit's plans in force in the
    e-mall channel and allows direct purchase (``mall_modes``); the plan's direct orders
    (not declined or cancelled) plus this checkout stay within the rule set's direct-purchase
    limit (per plan: splitting a purchase does not get round it); the orders on each funding
    line fit in what is free on it (``plans.holds.plan_line_free``: the reservation less what
    open inquiries and auctions hold); every product is of a catalogue class the plan was
    filed for (``orders.fit``: ``goods_not_in_plan`` otherwise). A unit's system token gets
    ``NotPermitted`` (the cart belongs to a person). All or nothing: on any refusal no stock, budget
    or order changes and the cart stays as it was. Charges the current listed prices.
    Effects: the orders (placed), their commitments, stock taken, the cart emptied.
    Audit events: ``orders.order.place`` per order.
    """
    permissions.require_person_purchaser(actor)
    assert actor.user_id is not None  # a person (checked above)
    assert actor.organisation_id is not None
    cart = list(
        CartLine.objects.filter(user_id=actor.user_id, organisation_id=actor.organisation_id)
        .select_related("listing")
        .order_by("pk")
    )
    if not cart:
        raise ValidationFailed(_("The cart is empty."), code="cart_empty")
    plan = _plan_for(actor, plan_id, direct=True)
    fundings = list(plan.fundings.values_list("budget_line_id", flat=True))
    # The figures the cart showed, read before anything is written.
    free = {line: plan_line_free(plan_id=plan.pk, line_id=line) for line in fundings}
    with transaction.atomic():
        chosen = {str(k): v for k, v in (funding or {}).items()}
        by_supplier: dict[int, list[_LineIn]] = {}
        listings = []
        for row in cart:
            try:
                listing = listing_selectors.listing_get_public(row.listing_id)
            except NotFound:
                message = _("“%(title)s” is no longer on sale: remove it from the cart.") % {"title": row.listing.title}
                raise ValidationFailed(message, code="listing_gone") from None
            listings.append(listing)
            by_supplier.setdefault(listing.supplier_id, []).append(
                _LineIn(
                    title=listing.title,
                    quantity=row.quantity,
                    unit_price=listing.price,
                    reference_price=listing.reference_price,
                    listing_id=listing.pk,
                    brand=listing.brand,
                    model=listing.model,
                    unit=listing.unit,
                )
            )
        specs = []
        for supplier_id, lines in by_supplier.items():
            field = f"funding.{supplier_id}"
            line_id = chosen.get(str(supplier_id))
            if line_id in (None, "") and len(fundings) == 1:
                line_id = fundings[0]
            specs.append(
                _OrderIn(supplier_id=supplier_id, line_id=_funding_line(plan, line_id, field=field), lines=tuple(lines))
            )
        check_goods_fit(plan, listings)
        names = dict(Organisation.objects.filter(pk__in=list(by_supplier)).values_list("pk", "name"))
        _check_direct_limit(plan, specs, names)
        _check_free(plan, specs, names, free)
        buyer_actor = unit_actor(actor, plan.organisation)
        _take_stock(actor, specs)
        # The plan row locked (after the listings, the order every step takes its locks in),
        # so two checkouts against one plan cannot both fit under the direct-purchase limit:
        # checked again under the lock.
        ProcurementPlan.objects.select_for_update().filter(pk=plan.pk).first()
        _check_direct_limit(plan, specs, names)
        extra = {"delivery_address": (delivery_address or "").strip()[:300], "note": (note or "").strip()[:500]}
        orders = [_create(actor, buyer_actor, plan, spec, **extra) for spec in specs]
        CartLine.objects.filter(pk__in=[row.pk for row in cart]).delete()
    return orders


from zhengcai.orders.lifecycle import (  # noqa: E402 - the later steps, re-exported
    order_accept,
    order_cancel,
    order_confirm,
    order_decline,
    order_payment_request_create,
    order_rate,
    order_reject,
    order_ship,
)

__all__ = [
    "AwardedItem",
    "order_accept",
    "order_cancel",
    "order_checkout",
    "order_confirm",
    "order_decline",
    "order_payment_request_create",
    "order_place_awarded",
    "order_rate",
    "order_reject",
    "order_ship",
]
