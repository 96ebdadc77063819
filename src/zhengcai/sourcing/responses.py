"""The suppliers' side: quotes to inquiries (报价) and bids in reverse auctions (竞价).

Both lock the event row first, so a quote or bid and the deadline, and two bids against the
same best price, are serialised; the server clock decides what is late.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import Conflict, DeadlinePassed, InvalidTransition, NotFound, ValidationFailed
from zhengcai.core.money import ZERO, format_cny
from zhengcai.sourcing import permissions
from zhengcai.sourcing.inputs import clean_count, clean_price
from zhengcai.sourcing.models import Bid, Quote, QuoteLine, SourcingEvent
from zhengcai.sourcing.outcomes import is_due, sourcing_settle_for
from zhengcai.sourcing.services import audit_event, lock_event
from zhengcai.sourcing.states import Kind, Status

MAX_DELIVERY_DAYS = 365


def _local(at: Any) -> str:
    return timezone.localtime(at, PLATFORM_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _lock_for_response(actor: Actor, event_id: int, kind: str) -> SourcingEvent:
    if not permissions.is_supplier(actor):
        raise NotFound()
    event = lock_event(actor=actor, event_id=event_id, action=permissions.RESPOND)
    if event.kind != kind or actor.organisation_id is None:
        raise NotFound()
    return event


def _check_open(event: SourcingEvent) -> None:
    """Refuse a response to an event that is past its deadline (server clock) or cancelled."""
    now = clock.now()
    if event.status == Status.OPEN and not is_due(event, now):
        return
    if event.status == Status.CANCELLED:
        raise InvalidTransition(_("This inquiry or auction was cancelled."))
    values = {"deadline": _local(event.closes_at), "now": _local(now)}
    if event.kind == Kind.INQUIRY:
        raise DeadlinePassed(
            _("The quote deadline was %(deadline)s (server time %(now)s): quotes are no longer accepted.") % values
        )
    raise DeadlinePassed(
        _("The auction ended at %(deadline)s (server time %(now)s): bids are no longer accepted.") % values
    )


def price_field(item_id: Any) -> str:
    """The error key of an item's unit price: ``prices.<item id>``, as the API's ``prices``
    object is keyed (the pages map it to their form field)."""
    return f"prices.{item_id}"


def quote_submit(
    *, actor: Actor, event_id: int, prices: Mapping[Any, Any], delivery_days: Any, note: str = ""
) -> Quote:
    """Submit or revise the supplier's one quote to an open inquiry.

    ``prices`` maps each item id (int or its text) to its unit price, exact to the fen; every
    item must be priced, no other id given, and the total (quantity x unit price, summed) may
    not exceed the ceiling. A refused price is reported on ``prices.<item id>``
    (``price_field``). Preconditions: a supplier
    that may sell; the inquiry open and before its deadline by the server clock
    (``DeadlinePassed`` otherwise). Effects: the quote (a revision replaces the prices and
    bumps ``revision``; a changed price moves ``priced_at``, which breaks ties). Sealed: the
    audit event carries no price. Audit event: ``sourcing.quote.submit``.
    """
    with transaction.atomic():
        event = _lock_for_response(actor, event_id, Kind.INQUIRY)
        _check_open(event)
        items = list(event.items.all())
        fields: dict[str, list[Any]] = {}
        clean: dict[int, Decimal] = {}
        given = {str(k).strip(): v for k, v in prices.items()}
        for item in items:
            try:
                clean[item.pk] = clean_price(given.get(str(item.pk)), field=price_field(item.pk))
            except ValidationFailed as exc:
                fields.update(exc.fields)
        for key in sorted(set(given) - {str(i.pk) for i in items}):
            fields[price_field(key)] = [_("This is not an item of this inquiry.")]
        days = clean_count(delivery_days, maximum=MAX_DELIVERY_DAYS)
        if days is None:
            fields["delivery_days"] = [_("Delivery days: a whole number from 1 to %(n)d.") % {"n": MAX_DELIVERY_DAYS}]
        note = (note or "").strip()
        if len(note) > 2000:
            fields["note"] = [_("At most 2,000 characters.")]
        if fields:
            raise ValidationFailed(fields=fields)
        total = sum((clean[i.pk] * i.quantity for i in items), ZERO)
        if total > event.ceiling:
            raise ValidationFailed(
                _("The total %(total)s is above the ceiling %(ceiling)s.")
                % {"total": format_cny(total), "ceiling": format_cny(event.ceiling)},
                fields={"__all__": [_("Lower your prices: the total may not exceed the ceiling.")]},
            )
        now = clock.now()
        supplier_id = int(actor.organisation_id or 0)  # set: checked by _lock_for_response
        quote = Quote.objects.filter(event=event, supplier_id=supplier_id).first()
        old = {line.item_id: line.unit_price for line in quote.lines.all()} if quote else {}
        if quote is None:
            quote = Quote(event=event, supplier_id=supplier_id, submitted_at=now, revision=1)
        else:
            quote.revision += 1
        if old != clean:
            quote.priced_at = now
        quote.total = total
        quote.delivery_days = days or 0
        quote.note = note
        quote.submitted_by_label = actor.label
        quote.save()
        QuoteLine.objects.filter(quote=quote).delete()
        QuoteLine.objects.bulk_create(
            QuoteLine(quote=quote, item=i, unit_price=clean[i.pk], amount=clean[i.pk] * i.quantity) for i in items
        )
        event.updated_at = now
        event.save(update_fields=["updated_at"])
        audit_event(actor, "sourcing.quote.submit", event, quote=quote.pk, revision=quote.revision)
    return quote


def quote_mark(*, actor: Actor, quote_id: int, non_compliant: bool, reason: str = "") -> Quote:
    """Mark a quote non-compliant (with a reason) or compliant again, after the deadline.

    Preconditions: the unit's purchaser; the inquiry closed, awaiting the award. Audit
    event: ``sourcing.quote.mark``.
    """
    reason = (reason or "").strip()
    if non_compliant and (not reason or len(reason) > 1000):
        raise ValidationFailed(fields={"reason": [_("Say why the quote is not compliant (at most 1,000 characters).")]})
    event_id = Quote.objects.filter(pk=quote_id).values_list("event_id", flat=True).first()
    if event_id is None:
        raise NotFound()
    sourcing_settle_for(actor=actor, event_id=event_id)
    with transaction.atomic():
        event = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        if event.status != Status.CLOSED:
            raise InvalidTransition(_("Quotes are checked after the deadline, before the award."))
        quote = Quote.objects.get(pk=quote_id)
        quote.non_compliant = non_compliant
        quote.non_compliant_reason = reason if non_compliant else ""
        quote.save(update_fields=["non_compliant", "non_compliant_reason"])
        audit_event(actor, "sourcing.quote.mark", event, quote=quote.pk, non_compliant=non_compliant, reason=reason)
    return quote


def max_allowed_bid(event: SourcingEvent, best: Decimal | None = None) -> Decimal:
    """The highest bid that would be accepted now: the ceiling, or the best less the step
    (``best``, when the caller has already read it, saves the query)."""
    if best is None:
        best = event.bids.order_by("amount").values_list("amount", flat=True).first()
    return event.ceiling if best is None else best - event.step_amount


def bid_place(*, actor: Actor, event_id: int, amount: Any) -> Bid:
    """Place a bid (a total price) in a running reverse auction.

    Preconditions: a supplier that may sell; the auction started and not ended by the
    server clock; the amount at most the ceiling and, once there is a best bid, lower than
    it by at least the step. Bids are serialised by the lock on the auction row, so two
    suppliers can never both beat the same best. A refused bid says the maximum allowed.
    Audit event: ``sourcing.bid.place``.
    """
    value = clean_price(amount, field="amount")
    with transaction.atomic():
        event = _lock_for_response(actor, event_id, Kind.AUCTION)
        now = clock.now()
        if event.status == Status.OPEN and now < event.opens_at:
            raise Conflict(
                _("The auction starts at %(start)s (server time %(now)s).")
                % {"start": _local(event.opens_at), "now": _local(now)},
                code="auction_not_started",
            )
        _check_open(event)
        allowed = max_allowed_bid(event)
        if value > allowed:
            if allowed == event.ceiling:
                message = _("Your bid %(bid)s is above the ceiling: bid at most %(max)s.")
            else:
                message = _(
                    "Your bid %(bid)s does not beat the current best by the step of %(step)s: bid at most %(max)s."
                )
            text = message % {
                "bid": format_cny(value),
                "max": format_cny(allowed),
                "step": format_cny(event.step_amount),
            }
            raise ValidationFailed(text, fields={"amount": [text]}, params={"max_allowed": allowed})
        bid = Bid.objects.create(
            event=event,
            supplier_id=int(actor.organisation_id or 0),
            amount=value,
            placed_at=now,
            placed_by_label=actor.label,
        )
        event.updated_at = now
        event.save(update_fields=["updated_at"])
        audit_event(actor, "sourcing.bid.place", event, bid=bid.pk, amount=value)
    return bid
