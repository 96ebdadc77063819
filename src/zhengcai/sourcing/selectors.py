"""Reads of inquiries and auctions, with visibility and the seal built in.

- Quotes are sealed until the deadline: the purchaser (and a regulator) sees only how many
  have come in; a supplier sees its own quote only, ever.
- In an auction a supplier sees the current best price, its own bids and its rank, never
  who the others are; the purchaser sees the bids (supplier names) once it has ended.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound
from zhengcai.core.money import cny
from zhengcai.listings import selectors as listing_selectors
from zhengcai.orders import selectors as order_selectors
from zhengcai.plans import selectors as plan_selectors
from zhengcai.plans.methods import Channel
from zhengcai.plans.states import IN_FORCE
from zhengcai.sourcing import permissions
from zhengcai.sourcing.models import Bid, Quote, SourcingEvent
from zhengcai.sourcing.outcomes import is_due, winning_bid, winning_quote
from zhengcai.sourcing.responses import max_allowed_bid
from zhengcai.sourcing.services import MODE_FOR_KIND, line_free
from zhengcai.sourcing.states import Kind, Status
from zhengcai.suppliers import selectors as supplier_selectors


def events_visible(*, actor: Actor, kind: str = "", status: str = "", q: str = "") -> QuerySet[SourcingEvent]:
    qs = permissions.events.visible(actor, SourcingEvent.objects.select_related("organisation", "category"))
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    now = clock.now()
    # The status filter reads the clock: an open event past its deadline is closed already.
    if status == Status.OPEN:
        qs = qs.filter(status=Status.OPEN, closes_at__gt=now)
    elif status == Status.CLOSED:
        qs = qs.filter(Q(status=Status.CLOSED) | Q(status=Status.OPEN, closes_at__lte=now))
    elif status in Status.values:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(organisation__name__icontains=q.strip()))
    quotes = Quote.objects.filter(event=OuterRef("pk")).values("event").annotate(n=Count("pk")).values("n")
    bidders = (
        Bid.objects.filter(event=OuterRef("pk"))
        .values("event")
        .annotate(n=Count("supplier", distinct=True))
        .values("n")
    )
    return qs.annotate(quote_count=Coalesce(Subquery(quotes), 0), bidder_count=Coalesce(Subquery(bidders), 0)).order_by(
        "-created_at", "-pk"
    )


def event_get(*, actor: Actor, pk: int) -> SourcingEvent:
    """One visible event; missing and not visible: NotFound."""
    return permissions.events.get_visible(
        actor, SourcingEvent.objects.select_related("organisation", "category", "winner_org", "rule_set"), pk=pk
    )


def shown_status(event: SourcingEvent, now: dt.datetime | None = None) -> str:
    """The status as the clock has it: a due open event reads as closed until the sweep."""
    return Status.CLOSED if is_due(event, now) else event.status


def is_running(event: SourcingEvent, now: dt.datetime | None = None) -> bool:
    now = now or clock.now()
    return event.status == Status.OPEN and event.opens_at <= now < event.closes_at


def seconds_left(event: SourcingEvent) -> int:
    return max(int((event.closes_at - clock.now()).total_seconds()), 0)


def is_sealed(event: SourcingEvent) -> bool:
    return event.status == Status.OPEN and not is_due(event)


@dataclass
class QuoteRow:
    quote: Quote
    supplier_name: str
    compliant: bool
    is_winner: bool
    lines: list[Any] = field(default_factory=list)


def quotes_for_buyer(*, actor: Actor, event: SourcingEvent) -> tuple[int, list[QuoteRow] | None]:
    """(how many quotes, the quotes) for the purchaser or a regulator; the list is None while sealed."""
    count = event.quotes.count()
    if permissions.is_supplier(actor) or is_sealed(event):
        return count, None
    winner = winning_quote(event)
    item_count = event.items.count()
    rows = []
    for quote in event.quotes.select_related("supplier").prefetch_related("lines").order_by("total", "priced_at", "pk"):
        lines = list(quote.lines.all())
        compliant = not quote.non_compliant and quote.total <= event.ceiling and len(lines) == item_count
        rows.append(
            QuoteRow(quote, quote.supplier.name, compliant, winner is not None and quote.pk == winner.pk, lines)
        )
    return count, rows


def my_quote(*, actor: Actor, event: SourcingEvent) -> Quote | None:
    if not permissions.is_supplier(actor):
        return None
    return event.quotes.filter(supplier_id=actor.organisation_id).prefetch_related("lines").first()


@dataclass
class Board:
    """What a bidder sees of a running auction."""

    best: Decimal | None
    bids: int
    bidders: int
    my_best: Decimal | None
    my_rank: int | None
    max_allowed: Decimal
    running: bool
    seconds_left: int
    my_bids: list[Bid]


def auction_board(*, actor: Actor, event: SourcingEvent) -> Board:
    # One grouped query gives the best, the bid count and the ranks (the board is polled).
    per_supplier = list(
        event.bids.values("supplier_id").annotate(best=Min("amount"), n=Count("pk")).order_by("best", "supplier_id")
    )
    mine = next((r for r in per_supplier if r["supplier_id"] == actor.organisation_id), None)
    rank = per_supplier.index(mine) + 1 if mine else None
    best = cny(per_supplier[0]["best"]) if per_supplier else None
    return Board(
        best=best,
        bids=sum(r["n"] for r in per_supplier),
        bidders=len(per_supplier),
        my_best=cny(mine["best"]) if mine else None,
        my_rank=rank,
        max_allowed=max_allowed_bid(event, best),
        running=is_running(event),
        seconds_left=seconds_left(event),
        my_bids=list(event.bids.filter(supplier_id=actor.organisation_id).order_by("-placed_at", "-pk")[:20])
        if permissions.is_supplier(actor)
        else [],
    )


def bids_for_buyer(*, actor: Actor, event: SourcingEvent) -> list[Bid] | None:
    """Every bid with its supplier, for the purchaser or a regulator once the auction ended."""
    if permissions.is_supplier(actor) or is_running(event) or (event.status == Status.OPEN and not is_due(event)):
        return None
    return list(event.bids.select_related("supplier").order_by("amount", "placed_at", "pk"))


def leading_supplier_id(event: SourcingEvent) -> int | None:
    winner = winning_quote(event) if event.kind == Kind.INQUIRY else winning_bid(event)
    return winner.supplier_id if winner else None


def plans_for_sourcing(*, actor: Actor, kind: str) -> list[dict[str, Any]]:
    """The unit's plans in force in the e-mall that allow ``kind``, with each funding's budget
    line (for its project name) and what is free on it for a new inquiry or auction."""
    if not permissions.is_unit(actor) or kind not in Kind.values:
        return []
    mode = str(MODE_FOR_KIND[Kind(kind)])
    out = []
    plans = plan_selectors.plans_visible(actor=actor).filter(channel=Channel.E_MALL, status__in=list(IN_FORCE))
    for plan in plans:
        if mode not in (plan.mall_modes or []):
            continue
        lines = [
            {
                "line_id": f["line_id"],
                "line": f["line"],  # the budget line (project name, codes), None if not visible
                "value": f"{plan.pk}:{f['line_id']}",
                "available": line_free(plan.pk, f["line_id"]),
            }
            for f in plan_selectors.plan_fundings(actor=actor, plan=plan)
        ]
        out.append({"plan": plan, "lines": lines})
    return out


@dataclass
class Links:
    """Where the event came from and what it led to, as far as the actor may see them."""

    plan: Any = None  # the procurement plan (number, title), for its own unit and regulators
    order: Any = None  # the awarded order, for the unit, the winner and regulators


def event_links(*, actor: Actor, event: SourcingEvent) -> Links:
    links = Links()
    with contextlib.suppress(NotFound):
        links.plan = plan_selectors.plan_get(actor=actor, pk=event.plan_id)
    if event.order_id:
        with contextlib.suppress(NotFound):
            links.order = order_selectors.order_get(actor=actor, pk=event.order_id)
    return links


def leaf_categories() -> list[Any]:
    return list(listing_selectors.category_leaves())


def respondent_count(event: SourcingEvent) -> int:
    model = Quote if event.kind == Kind.INQUIRY else Bid
    return model.objects.filter(event=event).values("supplier_id").distinct().count()


def open_count_for_supplier(*, actor: Actor) -> int:
    return events_visible(actor=actor, status=Status.OPEN).count()


def republished(event: SourcingEvent) -> bool:
    """Whether the event was published again (a new event refers to it)."""
    return SourcingEvent.objects.filter(republished_from=event).exists()


def lists_in_category(actor: Actor, event: SourcingEvent) -> bool:
    """Whether the actor's supplier has a listed product in the event's category or its parent."""
    category = event.category
    ids = {category.pk, *([category.parent_id] if category.parent_id else [])}
    # The same answer as "is it among category_listers" for either id, asked of this one supplier.
    org = actor.organisation_id
    if org is None:
        return False
    return listing_selectors.supplier_lists_in(org, ids) and supplier_selectors.supplier_may_sell(org)
