"""Sourcing API, mounted at /api/v1/mall/sourcing/: publish, list, detail, quote, bid, close,
award, cancel, re-publish. The same services as the pages; errors in the common format."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound
from zhengcai.sourcing import outcomes, permissions, responses, selectors, services
from zhengcai.sourcing.inputs import ItemInput
from zhengcai.sourcing.models import Quote, SourcingEvent
from zhengcai.sourcing.schemas import (
    BidIn,
    BidOut,
    BoardOut,
    CancelIn,
    EventIn,
    EventOut,
    ItemOut,
    MarkIn,
    QuoteIn,
    QuoteLineOut,
    QuoteOut,
    QuotesOut,
    RepublishIn,
)
from zhengcai.sourcing.states import Kind

router = Router(tags=["Inquiries and auctions"])


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def event_out(actor: Actor, event: SourcingEvent) -> EventOut:
    own = permissions.events.can(actor, permissions.MANAGE, event)
    return EventOut(
        id=event.pk,
        number=event.number,
        kind=event.kind,
        status=selectors.shown_status(event),
        title=event.title,
        budget_unit_name=event.organisation.name,
        plan_id=event.plan_id if own else None,
        category_code=event.category.code,
        category_name=event.category.name,
        ceiling=event.ceiling,
        delivery_region_code=event.delivery_region_code,
        delivery_by=event.delivery_by,
        opens_at=event.opens_at,
        closes_at=event.closes_at,
        min_responses=event.min_responses,
        step_amount=event.step_amount,
        note=event.note,
        responses=None if permissions.is_supplier(actor) else selectors.respondent_count(event),
        winner_name=event.winner_org.name if event.winner_org_id and event.winner_org else "",
        award_amount=event.award_amount,
        order_id=event.order_id if own else None,
        outcome_reason=event.outcome_reason,
        award_lapsed=outcomes.award_lapsed(event),
        items=[
            ItemOut(id=i.pk, description=i.description, specs=i.specs, quantity=i.quantity, unit=i.unit)
            for i in event.items.all()
        ],
    )


def quote_out(quote: Quote, *, compliant: bool) -> QuoteOut:
    return QuoteOut(
        id=quote.pk,
        supplier_name=quote.supplier.name,
        total=quote.total,
        delivery_days=quote.delivery_days,
        note=quote.note,
        revision=quote.revision,
        submitted_at=quote.submitted_at,
        priced_at=quote.priced_at,
        compliant=compliant,
        non_compliant_reason=quote.non_compliant_reason,
        lines=[QuoteLineOut(item_id=x.item_id, unit_price=x.unit_price, amount=x.amount) for x in quote.lines.all()],
    )


def _get(actor: Actor, event_id: int) -> EventOut:
    return event_out(actor, selectors.event_get(actor=actor, pk=event_id))


@router.get("/", response=list[EventOut], summary="Inquiries and auctions the caller may see")
def events_list(request: HttpRequest, kind: str = "", status: str = "", q: str = "") -> list[EventOut]:
    actor = _actor(request)
    return [event_out(actor, e) for e in selectors.events_visible(actor=actor, kind=kind, status=status, q=q)[:200]]


@router.post("/", response={201: EventOut}, summary="Publish an online inquiry or open a reverse auction")
def events_create(request: HttpRequest, payload: EventIn) -> Status[EventOut]:
    actor = _actor(request)
    event = services.sourcing_publish(
        actor=actor,
        kind=payload.kind,
        plan_id=payload.plan_id,
        line_id=payload.line_id,
        title=payload.title,
        category_id=payload.category_id,
        items=[ItemInput(**i.dict()) for i in payload.items],
        ceiling=payload.ceiling,
        delivery_region_code=payload.delivery_region_code,
        delivery_by=payload.delivery_by,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        note=payload.note,
    )
    return Status(201, _get(actor, event.pk))


@router.get("/{event_id}", response=EventOut, summary="One inquiry or auction")
def events_get(request: HttpRequest, event_id: int) -> EventOut:
    return _get(_actor(request), event_id)


@router.get(
    "/{event_id}/quotes",
    response=QuotesOut,
    summary="Quotes: the purchaser sees the count until the deadline, then all; a supplier its own",
)
def quotes_list(request: HttpRequest, event_id: int) -> QuotesOut:
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=event_id)
    if event.kind != Kind.INQUIRY:
        raise NotFound()
    if permissions.is_supplier(actor):
        mine = selectors.my_quote(actor=actor, event=event)
        quotes = [quote_out(mine, compliant=not mine.non_compliant)] if mine else []
        return QuotesOut(count=len(quotes), sealed=selectors.is_sealed(event), quotes=quotes)
    count, rows = selectors.quotes_for_buyer(actor=actor, event=event)
    return QuotesOut(
        count=count,
        sealed=rows is None,
        quotes=[quote_out(r.quote, compliant=r.compliant) for r in rows or []],
    )


@router.post("/{event_id}/quote", response=QuoteOut, summary="Submit or revise my quote (before the deadline)")
def quote_submit(request: HttpRequest, event_id: int, payload: QuoteIn) -> QuoteOut:
    actor = _actor(request)
    quote = responses.quote_submit(
        actor=actor, event_id=event_id, prices=payload.prices, delivery_days=payload.delivery_days, note=payload.note
    )
    return quote_out(quote, compliant=not quote.non_compliant)


@router.post("/quotes/{quote_id}/mark", response=QuoteOut, summary="Mark a quote non-compliant, or compliant again")
def quote_mark(request: HttpRequest, quote_id: int, payload: MarkIn) -> QuoteOut:
    actor = _actor(request)
    quote = responses.quote_mark(
        actor=actor, quote_id=quote_id, non_compliant=payload.non_compliant, reason=payload.reason
    )
    return quote_out(quote, compliant=not quote.non_compliant)


@router.get("/{event_id}/board", response=BoardOut, summary="The auction as a bidder sees it: best price, my rank")
def board_get(request: HttpRequest, event_id: int) -> BoardOut:
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=event_id)
    if event.kind != Kind.AUCTION:
        raise NotFound()
    board = selectors.auction_board(actor=actor, event=event)
    return BoardOut(
        best=board.best,
        bidders=board.bidders,
        my_best=board.my_best,
        my_rank=board.my_rank,
        max_allowed=board.max_allowed,
        step_amount=event.step_amount,
        running=board.running,
        seconds_left=board.seconds_left,
    )


@router.post("/{event_id}/bids", response={201: BidOut}, summary="Bid a total price in a running auction")
def bid_place(request: HttpRequest, event_id: int, payload: BidIn) -> Status[BidOut]:
    bid = responses.bid_place(actor=_actor(request), event_id=event_id, amount=payload.amount)
    return Status(201, BidOut(id=bid.pk, amount=bid.amount, placed_at=bid.placed_at))


@router.post(
    "/{event_id}/close",
    response=EventOut,
    summary="Apply the deadline now: close or fail when due (an auction with enough bidders is awarded at once)",
)
def event_close(request: HttpRequest, event_id: int) -> EventOut:
    actor = _actor(request)
    outcomes.sourcing_close(actor=actor, event_id=event_id)
    return _get(actor, event_id)


@router.post("/{event_id}/award", response=EventOut, summary="Confirm the result and place the order")
def event_award(request: HttpRequest, event_id: int) -> EventOut:
    actor = _actor(request)
    outcomes.sourcing_award(actor=actor, event_id=event_id)
    return _get(actor, event_id)


@router.post(
    "/{event_id}/award-next",
    response=EventOut,
    summary="Award the next supplier in line after the winner declined the order",
)
def event_award_next(request: HttpRequest, event_id: int) -> EventOut:
    actor = _actor(request)
    outcomes.sourcing_award_next(actor=actor, event_id=event_id)
    return _get(actor, event_id)


@router.post("/{event_id}/cancel", response=EventOut, summary="Cancel with a reason")
def event_cancel(request: HttpRequest, event_id: int, payload: CancelIn) -> EventOut:
    actor = _actor(request)
    services.sourcing_cancel(actor=actor, event_id=event_id, reason=payload.reason)
    return _get(actor, event_id)


@router.post("/{event_id}/republish", response={201: EventOut}, summary="Publish a failed or cancelled one again")
def event_republish(request: HttpRequest, event_id: int, payload: RepublishIn) -> Status[EventOut]:
    actor = _actor(request)
    event = services.sourcing_republish(
        actor=actor,
        event_id=event_id,
        closes_at=payload.closes_at,
        opens_at=payload.opens_at,
        delivery_by=payload.delivery_by or None,
        ceiling=payload.ceiling or None,
    )
    return Status(201, _get(actor, event.pk))
