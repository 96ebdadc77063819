"""Order steps after placing: confirm / decline / cancel, ship, accept (验收) or reject,
rate the supplier, and the payment request that follows acceptance.

Every step is one transaction: lock the order, check the role and the state machine, move
stock and money through the listings services and the plan's execution calls
(``plans.execution``: the order's commitment is the plan's), write the timeline event and
the audit event, notify the other side. Locks are taken order -> listings -> plan -> budget
line, the same order as placing, so steps never deadlock against checkouts.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import payments as budget_payments
from zhengcai.budgets import services as budget_services
from zhengcai.budgets.models import PaymentRequest
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, DeadlinePassed, InvalidTransition, ValidationFailed
from zhengcai.core.money import ZERO, cny
from zhengcai.listings import services as listing_services
from zhengcai.orders import permissions
from zhengcai.orders.models import DeliveryNote, Order, SupplierRating
from zhengcai.orders.services import add_event, audit_order, clean_quantity, lock_order, notify_org, unit_actor
from zhengcai.orders.states import ORDER_MACHINE, OrderStatus
from zhengcai.plans import execution as plan_execution
from zhengcai.suppliers import services as supplier_services


def _reason(value: Any, *, field: str = "reason", limit: int = 500, missing: Any = None) -> str:
    """Required text of at most ``limit`` characters; ``missing`` says what to give when empty."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        message = missing if missing is not None else _("Give the reason.")
        raise ValidationFailed(message, fields={field: [message]})
    if len(text) > limit:
        too_long = _("At most %(n)s characters.") % {"n": limit}
        raise ValidationFailed(too_long, fields={field: [too_long]})
    return text


def _return_stock(actor: Actor, order: Order, quantities: dict[int, int]) -> None:
    """Put ``{order line id: quantity}`` back on the listings' stock (listing id order)."""
    rows = sorted(
        ((line.listing_id, quantities.get(line.pk, 0)) for line in order.lines.all() if line.listing_id is not None),
        key=lambda r: r[0] or 0,
    )
    for listing_id, quantity in rows:
        if quantity > 0 and listing_id is not None:
            listing_services.stock_return(actor=actor, listing_id=listing_id, quantity=quantity)


def _release(actor: Actor, order: Order) -> None:
    """Stock back and the order's commitment cancelled through its plan: while the plan
    executes the money goes back to the plan's reservation (the unit can buy again against
    it), otherwise to the line (``plans.execution.plan_uncommit``)."""
    _return_stock(actor, order, {line.pk: line.quantity for line in order.lines.all()})
    if order.commitment_id is not None:
        plan_execution.plan_uncommit(
            actor=unit_actor(actor, order.buyer), plan_id=order.plan_id, commitment_id=order.commitment_id
        )


def _step(actor: Actor, order: Order, action: str, **data: Any) -> None:
    now = clock.now()
    order.updated_at = now
    order.save()
    note = str(data.pop("note", "") or "")
    audit_order(actor, f"orders.order.{action}", order, **data)
    add_event(actor, order, action, note)


def order_confirm(*, actor: Actor, order_id: int) -> Order:
    """The supplier confirms a placed order before its confirmation deadline.

    Audit event: ``orders.order.confirm``; the unit is notified.
    """
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.SELL)
        ORDER_MACHINE.apply(order, "confirm")
        if order.confirm_due_at is not None and clock.now() > order.confirm_due_at:
            raise DeadlinePassed(_("The time to confirm this order has run out; it will be cancelled."))
        order.confirmed_at = clock.now()
        _step(actor, order, "confirm")
        notify_org(
            actor=actor,
            organisation_id=order.buyer_id,
            order=order,
            event="confirmed",
            title=str(
                _("Order %(number)s confirmed by %(supplier)s")
                % {"number": order.number, "supplier": order.supplier_name}
            ),
        )
    return order


def order_decline(*, actor: Actor, order_id: int, reason: str) -> Order:
    """The supplier declines a placed order with a reason: stock returned, commitment
    cancelled (its money back to the plan's reservation while the plan executes). Audit
    events: ``orders.order.decline`` (plus ``plans.plan.uncommit``, ``budgets.commitment.cancel``)."""
    reason = _reason(reason)
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.SELL)
        ORDER_MACHINE.apply(order, "decline")
        _release(actor, order)
        order.decline_reason = reason
        order.declined_at = clock.now()
        _step(actor, order, "decline", reason=reason, note=reason)
        notify_org(
            actor=actor,
            organisation_id=order.buyer_id,
            order=order,
            event="declined",
            title=str(
                _("Order %(number)s declined by %(supplier)s")
                % {"number": order.number, "supplier": order.supplier_name}
            ),
        )
    return order


def order_cancel(*, actor: Actor, order_id: int, reason: str = "") -> Order:
    """The purchaser cancels an order the supplier has not confirmed yet (or the sweeper
    does, as the platform). Stock returned, commitment cancelled (its money back to the
    plan's reservation while the plan executes). Audit events: ``orders.order.cancel`` (plus
    ``plans.plan.uncommit``, ``budgets.commitment.cancel``)."""
    with transaction.atomic():
        if actor.is_system and actor.organisation_id is None:
            order = Order.objects.select_for_update().get(pk=order_id)
        else:
            order = lock_order(actor=actor, order_id=order_id, action=permissions.BUY)
        ORDER_MACHINE.apply(order, "cancel")
        _release(actor, order)
        order.cancel_reason = (reason or "").strip()[:500]
        order.cancelled_at = clock.now()
        _step(actor, order, "cancel", reason=order.cancel_reason, note=order.cancel_reason)
        title = _("Order %(number)s cancelled") % {"number": order.number}
        notify_org(actor=actor, organisation_id=order.supplier_id, order=order, event="cancelled", title=str(title))
        if actor.is_system:
            notify_org(actor=actor, organisation_id=order.buyer_id, order=order, event="cancelled", title=str(title))
    return order


def _line_quantities(
    order: Order,
    raw: dict[Any, Any] | None,
    *,
    field: str,
    ceiling: str,
    allow_zero: bool = True,
    limits: dict[int, int] | None = None,
) -> dict[int, int]:
    """``{order line id: quantity}`` from raw input (every line; missing lines: the ceiling,
    the line's ``ceiling`` attribute or, when given, ``limits[line id]``)."""
    result: dict[int, int] = {}
    errors: dict[str, list[Any]] = {}
    given = {str(k): v for k, v in (raw or {}).items()}
    for line in order.lines.all():
        limit = limits[line.pk] if limits is not None else getattr(line, ceiling)
        value = given.get(str(line.pk), limit)
        text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
        if text == "0" and allow_zero:
            result[line.pk] = 0
            continue
        try:
            quantity = clean_quantity(text)
        except ValidationFailed:
            errors[f"{field}.{line.pk}"] = [_("Enter a whole number from 0 to %(max)s.") % {"max": limit}]
            continue
        if quantity > limit:
            errors[f"{field}.{line.pk}"] = [_("At most %(max)s.") % {"max": limit}]
            continue
        result[line.pk] = quantity
    unknown = set(given) - {str(line.pk) for line in order.lines.all()}
    if unknown:
        errors[field] = [_("These lines are not part of the order: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationFailed(_("Check the quantities."), fields=errors)
    if not any(result.values()):
        message = _("At least one line needs a quantity above zero.")
        raise ValidationFailed(message, fields={field: [message]})
    return result


def order_ship(
    *,
    actor: Actor,
    order_id: int,
    carrier: str,
    tracking_number: str,
    quantities: dict[Any, Any] | None = None,
    note: str = "",
) -> Order:
    """The supplier ships a confirmed order with a delivery note: carrier, tracking number,
    shipped quantity per line (default: all), note.

    A shipment may be partial. While the order is shipped and something is still to ship,
    the supplier ships the rest with a further delivery note (the quantities count on top of
    what was shipped; default: everything still to ship); the purchaser may accept what has
    arrived at any time (what was not shipped then goes back to stock, as for a partial
    acceptance). After a rejection at acceptance the supplier ships again from scratch.
    Audit event: ``orders.order.ship``; the unit is notified."""
    carrier = _reason(carrier, field="carrier", limit=100, missing=_("Give the carrier (e.g. SF Express)."))
    tracking_number = _reason(
        tracking_number, field="tracking_number", limit=64, missing=_("Give the tracking number of the delivery.")
    )
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.SELL)
        lines = list(order.lines.all())
        rest = order.status == OrderStatus.SHIPPED
        if rest and all(line.shipped_quantity >= line.quantity for line in lines):
            raise InvalidTransition(
                _("Everything in this order has been shipped; the purchaser accepts or rejects the delivery now."),
                code="fully_shipped",
            )
        ORDER_MACHINE.apply(order, "ship")
        if rest:
            to_ship = {line.pk: line.quantity - line.shipped_quantity for line in lines}
            shipped = _line_quantities(order, quantities, field="quantities", ceiling="quantity", limits=to_ship)
            for line in lines:
                line.shipped_quantity += shipped[line.pk]
                line.save(update_fields=["shipped_quantity"])
        else:
            shipped = _line_quantities(order, quantities, field="quantities", ceiling="quantity")
            for line in lines:
                line.shipped_quantity = shipped[line.pk]
                line.save(update_fields=["shipped_quantity"])
        DeliveryNote.objects.create(
            order=order,
            carrier=carrier,
            tracking_number=tracking_number,
            note=(note or "").strip()[:500],
            quantities={str(k): v for k, v in shipped.items()},
            shipped_at=clock.now(),
            shipped_by_label=actor.label[:300],
        )
        order.shipped_at = clock.now()
        _step(
            actor, order, "ship", carrier=carrier, tracking_number=tracking_number, note=f"{carrier} {tracking_number}"
        )
        notify_org(
            actor=actor,
            organisation_id=order.buyer_id,
            order=order,
            event=f"shipped:{order.deliveries.count()}",
            title=str(
                _("Order %(number)s shipped (%(carrier)s %(tracking)s)")
                % {"number": order.number, "carrier": carrier, "tracking": tracking_number}
            ),
        )
    return order


def order_reject(*, actor: Actor, order_id: int, reason: str) -> Order:
    """The purchaser rejects the delivery with reasons; the supplier ships again.
    Audit event: ``orders.order.reject``."""
    reason = _reason(reason, limit=1000)
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.BUY)
        ORDER_MACHINE.apply(order, "reject")
        order.reject_reason = reason
        order.rejected_at = clock.now()
        _step(actor, order, "reject", reason=reason, note=reason)
        notify_org(
            actor=actor,
            organisation_id=order.supplier_id,
            order=order,
            event=f"rejected:{order.deliveries.count()}",
            title=str(_("Delivery of order %(number)s rejected: ship again") % {"number": order.number}),
        )
    return order


def order_accept(*, actor: Actor, order_id: int, quantities: dict[Any, Any] | None = None) -> Order:
    """The purchaser accepts (验收) a shipped order, fully (``quantities`` None: every line as
    shipped) or partly (accepted quantity per line, at most what was shipped).

    Effects: accepted amount = sum of accepted quantity × unit price; on a partial
    acceptance the order's commitment is lowered to the accepted amount and the difference
    released as savings (``plans.execution.plan_commitment_reduce``: one ledger entry, the
    plan's committed and released figures follow) and the units not accepted return to
    stock; ``budgets.commitment_accept`` starts the payment clock; the accepted units count
    as sales. Audit event: ``orders.order.accept`` (plus ``plans.plan.reduce`` and
    ``budgets.commitment.reduce`` on a partial acceptance, ``budgets.commitment.accept``).
    """
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.BUY)
        ORDER_MACHINE.apply(order, "accept")
        accepted = _line_quantities(order, quantities, field="quantities", ceiling="shipped_quantity")
        lines = list(order.lines.all())
        amount = sum((cny(line.unit_price * accepted[line.pk]) for line in lines), ZERO)
        _return_stock(actor, order, {line.pk: line.quantity - accepted[line.pk] for line in lines})
        for line in sorted(lines, key=lambda x: x.listing_id or 0):
            line.accepted_quantity = accepted[line.pk]
            line.save(update_fields=["accepted_quantity"])
            if line.listing_id is not None and accepted[line.pk] > 0:
                listing_services.sales_add(actor=actor, listing_id=line.listing_id, quantity=accepted[line.pk])
        buyer_actor = unit_actor(actor, order.buyer)
        if order.commitment_id is not None:
            if amount < order.total_amount:
                # One step: the commitment lowered to the accepted amount, the rest savings.
                plan_execution.plan_commitment_reduce(
                    actor=buyer_actor, plan_id=order.plan_id, commitment_id=order.commitment_id, amount=amount
                )
            budget_services.commitment_accept(
                actor=buyer_actor,
                commitment_id=order.commitment_id,
                accepted_amount=amount,
                accepted_on=clock.today(),
                by_owner=True,
            )
        order.accepted_amount = amount
        order.accepted_at = clock.now()
        partial = amount < order.total_amount
        _step(actor, order, "accept", amount=amount, partial=partial)
        notify_org(
            actor=actor,
            organisation_id=order.supplier_id,
            order=order,
            event="accepted",
            title=str(_("Order %(number)s accepted") % {"number": order.number}),
        )
    return order


def order_rate(*, actor: Actor, order_id: int, stars: Any, comment: str = "") -> SupplierRating:
    """The purchaser rates the supplier of an accepted order, once (1-5 stars and a comment).
    Effects: ``suppliers.supplier_rating_add``. Audit event: ``orders.order.rate``."""
    try:
        value = int(str(stars).strip())
    except (TypeError, ValueError):
        value = 0
    if isinstance(stars, bool) or not 1 <= value <= 5:
        message = _("Give between 1 and 5 stars.")
        raise ValidationFailed(message, fields={"stars": [message]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        too_long = _("At most %(n)s characters.") % {"n": 1000}
        raise ValidationFailed(too_long, fields={"comment": [too_long]})
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.BUY)
        if order.status != OrderStatus.ACCEPTED:
            raise Conflict(_("An order is rated after it has been accepted."), code="not_accepted")
        if SupplierRating.objects.filter(order=order).exists():
            raise Conflict(_("This order has already been rated."), code="already_rated")
        rating = SupplierRating.objects.create(
            order=order, stars=value, comment=comment, rated_by_label=actor.label[:300], rated_at=clock.now()
        )
        supplier_services.supplier_rating_add(actor=actor, organisation_id=order.supplier_id, stars=value)
        _step(actor, order, "rate", stars=value, note=comment)
    return rating


def order_payment_request_create(*, actor: Actor, order_id: int) -> PaymentRequest:
    """Create the payment request (一体化支付) for the accepted amount of an accepted order,
    once. Effects: ``budgets.payments.payment_request_create``. Audit event:
    ``orders.order.payment_request`` (plus ``budgets.payment.create``)."""
    with transaction.atomic():
        order = lock_order(actor=actor, order_id=order_id, action=permissions.BUY)
        if order.status != OrderStatus.ACCEPTED or order.commitment_id is None:
            raise Conflict(
                _("A payment can be requested only after the acceptance (验收) has been recorded."),
                code="not_accepted",
            )
        if order.payment_request_id is not None:
            raise Conflict(_("The payment request of this order exists already."), code="payment_requested")
        payment = budget_payments.payment_request_create(
            actor=actor, commitment_id=order.commitment_id, amount=order.accepted_amount
        )
        order.payment_request_id = payment.pk
        _step(actor, order, "payment_request", payment=payment.pk)
    return payment
