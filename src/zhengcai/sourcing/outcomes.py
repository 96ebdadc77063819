"""Outcomes: the clock closing inquiries and auctions, and the award that places the order.

``sourcing_settle`` applies a deadline (close with enough responses, else fail); the
sweeper calls it for every due event and any service that needs the outcome calls it first,
so nothing depends on the sweeper having run on time. ``sourcing_award`` confirms the
winner and places the order through ``orders.services.order_place_awarded`` in the same
transaction, so an award whose order is refused (budget, plan, supplier) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengcai.core import clock
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.errors import Conflict, DomainError, InvalidTransition, NotFound
from zhengcai.core.money import FEN, format_cny
from zhengcai.orders import services as order_services
from zhengcai.orders.types import AwardedItem
from zhengcai.plans import holds as plan_holds
from zhengcai.sourcing import permissions
from zhengcai.sourcing.models import Bid, Quote, SourcingEvent
from zhengcai.sourcing.services import (
    audit_event,
    award_lapsed,
    hold_ref,
    hold_release,
    lock_event,
    notify,
    respondent_ids,
)
from zhengcai.sourcing.states import SOURCING_MACHINE, Kind, Status

logger = logging.getLogger(__name__)


# -- closing (clock-driven) ------------------------------------------------------------------


def is_due(event: SourcingEvent, now: dt.datetime | None = None) -> bool:
    """Open and past its deadline: closed as far as anyone can tell, awaiting the sweep."""
    return event.status == Status.OPEN and (now or clock.now()) >= event.closes_at


def _settle(actor: Actor, event: SourcingEvent) -> bool:
    """Close or fail a locked event that is due; True if it changed. Does the audit and the notices."""
    if not is_due(event):
        return False
    responses = len(respondent_ids(event))
    enough = responses >= event.min_responses
    SOURCING_MACHINE.apply(event, "close" if enough else "fail")
    now = clock.now()
    event.closed_at = event.updated_at = now
    if not enough:
        event.outcome_reason = str(
            _("%(got)d responses by the deadline; at least %(need)d are needed.")
            % {"got": responses, "need": event.min_responses}
        )
    event.save()
    if not enough:
        hold_release(actor, event)
    audit_event(actor, f"sourcing.{event.kind}.{'close' if enough else 'fail'}", event, responses=responses)
    if enough:
        title = _("%(title)s has closed with %(n)d responses: confirm the result.") % {
            "title": event.title,
            "n": responses,
        }
    else:
        title = _("%(title)s has failed: %(reason)s") % {"title": event.title, "reason": event.outcome_reason}
    notify(actor, event, org_ids=[event.organisation_id], key="close", title=str(title))
    notify(
        actor,
        event,
        org_ids=respondent_ids(event),
        key="closed",
        title=str(_("%(title)s has closed.") % {"title": event.title}),
    )
    return True


def sourcing_settle(*, event_id: int, actor: Actor = SYSTEM) -> SourcingEvent | None:
    """Apply the clock to one event: close it (enough responses) or fail it when due.

    Idempotent: an event not due, or already closed, is left alone. Used by the sweeper and
    before any action that needs the outcome (the award). A failed event's plan hold is
    released. Audit events: ``sourcing.<kind>.close`` or ``sourcing.<kind>.fail`` (plus
    ``plans.hold.release``); the unit and the respondents are told.
    """
    with transaction.atomic():
        event = SourcingEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is not None:
            _settle_and_award(actor, event)
    return event


def _settle_and_award(actor: Actor, event: SourcingEvent) -> None:
    """The one settlement, whoever triggers it (the sweeper, the close button or API, the
    purchaser's next action): close or fail a due event; an auction that is closed and was
    never tried is awarded at once to the lowest bid."""
    _settle(actor, event)
    if event.kind == Kind.AUCTION and event.status == Status.CLOSED and not event.outcome_reason:
        _auto_award(actor if permissions.is_unit(actor) else SYSTEM, event)


def _auto_award(actor: Actor, event: SourcingEvent) -> None:
    """An auction that closed with enough bidders is awarded at once to the lowest bid.

    There is nothing to judge (the lowest bid wins), so the purchaser need not act; the
    order is placed by the platform for the unit. If the order is refused (the winner may
    no longer sell, the plan changed), the auction stays closed with the reason, for the
    purchaser to confirm again or cancel.
    """
    if event.status != Status.CLOSED:
        return
    try:
        with transaction.atomic():
            _award(actor, event)
    except DomainError as exc:
        event.refresh_from_db()
        event.outcome_reason = str(_("The automatic award failed: %(error)s") % {"error": exc.message})
        event.save(update_fields=["outcome_reason"])
        logger.warning("Auction %s closed but was not awarded: %s", event.pk, exc.code)


def due_event_ids(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Open events past their deadline, and auctions closed but never awarded (closed by a
    path that did not award them, before every path settled the same way)."""
    return list(
        SourcingEvent.objects.filter(
            Q(status=Status.OPEN, closes_at__lte=now or clock.now())
            | Q(kind=Kind.AUCTION, status=Status.CLOSED, outcome_reason="", order_id__isnull=True)
        )
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# -- award ------------------------------------------------------------------------------------


def winning_quote(event: SourcingEvent) -> Quote | None:
    """The lowest compliant quote: all items priced, total within the ceiling, not marked
    non-compliant; a tie goes to the price given first."""
    item_count = event.items.count()
    quotes = event.quotes.filter(non_compliant=False, total__lte=event.ceiling).exclude(
        supplier_id__in=event.passed_over or []
    )
    for quote in quotes.order_by("total", "priced_at", "pk"):
        if quote.lines.count() == item_count:
            return quote
    return None


def winning_bid(event: SourcingEvent) -> Bid | None:
    """The lowest bid of a supplier not passed over (a decliner's bids no longer count)."""
    return event.bids.exclude(supplier_id__in=event.passed_over or []).order_by("amount", "placed_at", "pk").first()


def _awarded_items(event: SourcingEvent, winner: Quote | Bid) -> tuple[list[AwardedItem], Decimal]:
    items = list(event.items.all())
    if isinstance(winner, Quote):
        prices = {line.item_id: line.unit_price for line in winner.lines.all()}
        return [AwardedItem(i.description, i.quantity, prices[i.pk]) for i in items], winner.total
    # An auction is bid as a lot: one item whose unit price divides exactly keeps its
    # quantity; otherwise the order has one line for the whole lot.
    if len(items) == 1 and (winner.amount / items[0].quantity).quantize(FEN) * items[0].quantity == winner.amount:
        item = items[0]
        return [
            AwardedItem(item.description, item.quantity, (winner.amount / item.quantity).quantize(FEN))
        ], winner.amount
    lot = str(_("%(title)s (lot of %(n)d items)") % {"title": event.title, "n": len(items)})[:300]
    return [AwardedItem(lot, 1, winner.amount)], winner.amount


ORDER_SOURCE = {Kind.INQUIRY: "inquiry", Kind.AUCTION: "reverse_auction"}


def _award(actor: Actor, event: SourcingEvent) -> None:
    """Award a locked, closed event to its winner and place the order (no transaction of its own)."""
    winner: Quote | Bid | None = winning_quote(event) if event.kind == Kind.INQUIRY else winning_bid(event)
    if event.status == Status.CLOSED and winner is None:
        raise Conflict(
            _("No quote is compliant: cancel the inquiry, then publish it again if you still need it."),
            code="no_compliant_quote",
        )
    SOURCING_MACHINE.apply(event, "award")
    assert winner is not None  # a closed event without one was refused above
    items, amount = _awarded_items(event, winner)
    # The order consumes the event's hold (an event published before holds existed has none).
    ref = hold_ref(event)
    order = order_services.order_place_awarded(
        actor=actor,
        plan_id=event.plan_id,
        line_id=event.line_id,
        supplier_org_id=winner.supplier_id,
        items=items,
        source=ORDER_SOURCE[Kind(event.kind)],
        source_ref=event.ref,
        hold_ref=ref if plan_holds.plan_hold_get(ref) is not None else None,
    )
    now = clock.now()
    event.winner_org_id = winner.supplier_id
    event.award_amount = amount
    event.order_id = order.pk
    event.outcome_reason = ""
    event.awarded_at = event.updated_at = now
    event.save()
    audit_event(
        actor, f"sourcing.{event.kind}.award", event, supplier=winner.supplier_id, amount=amount, order=order.pk
    )
    values = {"title": event.title, "amount": format_cny(amount)}
    notify(
        actor,
        event,
        org_ids=[winner.supplier_id],
        key="won",
        title=str(_("You won %(title)s at %(amount)s; the order follows.") % values),
    )
    notify(
        actor,
        event,
        org_ids=[s for s in respondent_ids(event) if s != winner.supplier_id],
        key="lost",
        title=str(_("%(title)s was awarded to another supplier at %(amount)s.") % values),
    )
    notify(
        actor,
        event,
        org_ids=[event.organisation_id],
        key="awarded",
        title=str(_("%(title)s was awarded at %(amount)s; the order is placed.") % values),
    )


def sourcing_award(*, actor: Actor, event_id: int) -> SourcingEvent:
    """Confirm the result and place the order with the winner.

    The winner is not chosen: it is the lowest compliant quote (ties: the price given first)
    or the lowest bid. Preconditions: the unit's purchaser; the event closed (a due event is
    settled first; an open one not yet due, or a failed one, cannot be awarded); for an
    inquiry, at least one compliant quote. Effects: the order through
    ``orders.services.order_place_awarded`` (source ``inquiry`` or ``reverse_auction``, which
    commits the plan's reservation and consumes the event's plan hold, ``hold_ref``); status
    ``awarded``; every respondent is told whether it won. Audit event: ``sourcing.<kind>.award``.
    """
    settled = sourcing_settle_for(actor=actor, event_id=event_id)
    with transaction.atomic():
        event = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        if settled and event.status == Status.AWARDED:
            return event  # settling it just now awarded it (an auction: the lowest bid wins at once)
        if event.status == Status.OPEN:
            raise InvalidTransition(_("The result can be confirmed only after the deadline."))
        _award(actor, event)
    return event


def sourcing_settle_for(*, actor: Actor, event_id: int) -> bool:
    """Settle a due event of the actor's unit (the purchaser acting before the sweeper ran),
    exactly as the sweeper does: an auction with enough bidders is awarded at once. True if
    the event changed."""
    with transaction.atomic():
        event = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        before = event.status
        _settle_and_award(actor, event)
        return event.status != before


def sourcing_close(*, actor: Actor, event_id: int) -> SourcingEvent:
    """Apply the deadline now ("close"): the same settlement as the sweeper's.

    Only the unit's purchaser or the platform (a system actor) may; anyone else gets
    NotFound, a bidder included (it sees the event but has no say in closing it). An event
    not due is left as it is. Audit events: those of ``sourcing_settle`` (and of the award).
    """
    with transaction.atomic():
        event = SourcingEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or not (actor.is_system or permissions.events.can(actor, permissions.MANAGE, event)):
            raise NotFound()
        _settle_and_award(actor, event)
    return event


# -- the winner walks away ----------------------------------------------------------------


def next_in_line(event: SourcingEvent) -> Quote | Bid | None:
    """Who an award would go to once the present winner is passed over."""
    passed = list(event.passed_over or [])
    event.passed_over = [*passed, event.winner_org_id] if event.winner_org_id else passed
    try:
        return winning_quote(event) if event.kind == Kind.INQUIRY else winning_bid(event)
    finally:
        event.passed_over = passed


def sourcing_award_next(*, actor: Actor, event_id: int) -> SourcingEvent:
    """Award the next supplier in line after the winner declined the order (or it was
    cancelled before confirmation).

    Preconditions: the unit's purchaser; the event awarded and its order declined or
    cancelled (``award_lapsed``); a next supplier: the next lowest compliant quote, or the
    next lowest bid, never one passed over. Effects: the winner joins ``passed_over``; the
    event is reopened and awarded again in one transaction (a new order through
    ``orders.services.order_place_awarded``, drawing on the plan's line as the first
    order's money went back to it). Audit events: ``sourcing.<kind>.reopen`` and
    ``sourcing.<kind>.award``. Nothing changes on a refusal.
    """
    with transaction.atomic():
        event = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        if not award_lapsed(event):
            raise InvalidTransition(
                _("The next supplier can be awarded only when the winner declined the order or it was cancelled.")
            )
        if next_in_line(event) is None:
            raise Conflict(
                _("No other supplier is left in line: publish the inquiry or auction again."),
                code="no_runner_up",
            )
        passed = event.winner_org_id
        SOURCING_MACHINE.apply(event, "reopen")
        event.passed_over = [*(event.passed_over or []), passed]
        audit_event(actor, f"sourcing.{event.kind}.reopen", event, passed_over=passed, order=event.order_id)
        _award(actor, event)
    return event
