"""Inquiry and auction pages: thin views over the sourcing selectors and services.

Purchasers publish inquiries and open auctions against their e-mall plans, see the count of
sealed quotes until the deadline, then the quotes, and confirm the award. Suppliers see what
is open, quote, and bid on a page that refreshes itself (htmx polling, no websockets).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound, NotPermitted
from zhengcai.rules.selectors import region_by_code, regions_all
from zhengcai.sourcing import outcomes, permissions, responses, selectors, services
from zhengcai.sourcing.inputs import ItemInput
from zhengcai.sourcing.models import SourcingEvent
from zhengcai.sourcing.states import LAPSED_LABEL, SOURCING_MACHINE, Kind, Status

PAGE_SIZE = 25
ITEM_ROWS = 5
ITEM_FIELDS = ("description", "specs", "quantity", "unit")
POLL_SECONDS = 3


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.events.can(actor, permissions.VIEW):
        raise NotFound()
    return actor


def _unit_actor(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.is_unit(actor):
        raise NotFound()
    return actor


def _kind(value: str) -> str:
    return value if value in Kind.values else ""


def _region_name(code: str) -> str:
    try:
        return region_by_code(code).name
    except NotFound:
        return ""


# -- list ------------------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The unit's inquiries and auctions, or (suppliers) what is open and what I answered."""
    actor = _actor(request)
    kind = _kind(request.GET.get("kind", ""))
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    q = request.GET.get("q", "")
    events = selectors.events_visible(actor=actor, kind=kind, status=status, q=q)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    labels = dict(Status.choices)
    # An awarded event whose winner walked away reads so (its order's status, one look each).
    rows = [(e, LAPSED_LABEL if outcomes.award_lapsed(e) else labels[selectors.shown_status(e, now)]) for e in page]
    return render(
        request,
        "sourcing/list.html",
        {
            "page": page,
            "rows": rows,
            "kind": kind,
            "status": status,
            "q": q,
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "is_unit": permissions.is_unit(actor),
            "is_supplier": permissions.is_supplier(actor),
            "may_respond": permissions.may_respond(actor),
        },
    )


# -- create ----------------------------------------------------------------------------------


def _create_context(
    actor: Actor, kind: str, data: dict[str, Any], rows: list[dict[str, str]], errors: Any
) -> dict[str, Any]:
    for i, row in enumerate(rows):
        row["errors"] = {f: errors.get(f"items-{i}-{f}", []) for f in ITEM_FIELDS}  # type: ignore[assignment]
    return {
        "kind": kind,
        "kind_label": Kind(kind).label,
        "data": data,
        "rows": rows,
        "errors": errors,
        "general_errors": [str(e) for k in ("items", "__all__", "kind") for e in errors.get(k, [])],
        "plans": selectors.plans_for_sourcing(actor=actor, kind=kind),
        "categories": selectors.leaf_categories(),
        "regions": regions_all(),
    }


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    """Publish an online inquiry or open a reverse auction (``?kind=``)."""
    actor = _unit_actor(request)
    kind = _kind(request.GET.get("kind", "") or request.POST.get("kind", "")) or Kind.INQUIRY
    if request.method == "GET":
        data = {"delivery_region_code": actor.region_code, "plan_line": request.GET.get("plan_line", "")}
        rows = [dict.fromkeys(ITEM_FIELDS, "") for _i in range(ITEM_ROWS)]
        return render(request, "sourcing/create.html", _create_context(actor, kind, data, rows, {}))
    fields = (
        "plan_line",
        "title",
        "category_id",
        "ceiling",
        "delivery_region_code",
        "delivery_by",
        "opens_at",
        "closes_at",
        "note",
    )
    data = {f: request.POST.get(f, "").strip() for f in fields}
    rows = [{f: request.POST.get(f"items-{i}-{f}", "").strip() for f in ITEM_FIELDS} for i in range(ITEM_ROWS)]
    plan_id, _sep, line_id = data["plan_line"].partition(":")
    try:
        event = services.sourcing_publish(
            actor=actor,
            kind=kind,
            plan_id=plan_id,
            line_id=line_id,
            title=data["title"],
            category_id=data["category_id"],
            items=[ItemInput(**r) for r in rows],
            ceiling=data["ceiling"],
            delivery_region_code=data["delivery_region_code"],
            delivery_by=data["delivery_by"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            note=data["note"],
        )
    except DomainError as exc:
        errors = dict(exc.fields)
        for key in ("plan_id", "line_id"):
            errors.setdefault("plan_line", []).extend(errors.pop(key, []))
        if not exc.fields:
            errors["__all__"] = [exc.message]
        return render(request, "sourcing/create.html", _create_context(actor, kind, data, rows, errors), status=400)
    if kind == Kind.INQUIRY:
        messages.success(request, _("The inquiry is published: suppliers may quote until the deadline."))
    else:
        messages.success(request, _("The auction is open: suppliers may bid during its window."))
    return redirect("sourcing:detail", pk=event.pk)


# -- detail ----------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, actor: Actor, event: SourcingEvent, **extra: Any) -> dict[str, Any]:
    shown = selectors.shown_status(event)
    is_unit = permissions.events.can(actor, permissions.MANAGE, event)
    # The winner declined the order (or it was cancelled unconfirmed): "awarded" is stale.
    lapsed = outcomes.award_lapsed(event)
    republished = lapsed and selectors.republished(event)
    ctx: dict[str, Any] = {
        "event": event,
        "items": list(event.items.all()),
        "shown_status": shown,
        "shown_status_label": LAPSED_LABEL if lapsed else Status(shown).label,
        "lapsed": lapsed,
        "is_unit": is_unit,
        "is_supplier": permissions.is_supplier(actor),
        "may_respond": permissions.may_respond(actor) and shown == Status.OPEN,
        # Any sellable supplier may respond (permissions.py says why); one without a listed
        # product in the category is told plainly what it is quoting for.
        "off_category": permissions.is_supplier(actor) and not selectors.lists_in_category(actor, event),
        "can_award": is_unit and shown == Status.CLOSED,
        "can_award_next": is_unit and lapsed and not republished and outcomes.next_in_line(event) is not None,
        "can_cancel": is_unit and SOURCING_MACHINE.can(shown, "cancel"),
        "can_republish": is_unit and (shown in (Status.FAILED, Status.CANCELLED) or (lapsed and not republished)),
        # What the plan's line still has free, for the re-publish form's ceiling.
        "line_free": (lambda: services.line_free(event.plan_id, event.line_id)) if is_unit else None,
        "can_mark": is_unit and shown == Status.CLOSED and event.kind == Kind.INQUIRY,
        "poll_seconds": POLL_SECONDS,
        "delivery_region_name": _region_name(event.delivery_region_code),
        # Read only when the template asks (the page, not the polled board): templates call callables.
        "links": lambda: selectors.event_links(actor=actor, event=event),
        "errors": {},
        "posted": {},
    }
    if event.kind == Kind.INQUIRY:
        count, quotes = selectors.quotes_for_buyer(actor=actor, event=event)
        ctx.update(quote_count=count, quotes=quotes, mine=selectors.my_quote(actor=actor, event=event))
        mine = ctx["mine"]
        ctx["my_prices"] = {line.item_id: line.unit_price for line in mine.lines.all()} if mine else {}
    else:
        ctx.update(
            board=selectors.auction_board(actor=actor, event=event),
            bids=selectors.bids_for_buyer(actor=actor, event=event),
        )
    ctx.update(extra)
    return ctx


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=pk)
    return render(request, "sourcing/detail.html", _detail_context(request, actor, event))


def _board_context(actor: Actor, event: SourcingEvent, **extra: Any) -> dict[str, Any]:
    """Only what ``_board.html`` reads: the poll every few seconds must not pay for the
    whole page (items, category listers, region name, links)."""
    shown = selectors.shown_status(event)
    return {
        "event": event,
        "shown_status": shown,
        "is_supplier": permissions.is_supplier(actor),
        "may_respond": permissions.may_respond(actor) and shown == Status.OPEN,
        "poll_seconds": POLL_SECONDS,
        "board": selectors.auction_board(actor=actor, event=event),
        **extra,
    }


@require_GET
def auction_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the bidding page (htmx polls it every few seconds)."""
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=pk)
    if event.kind != Kind.AUCTION:
        raise NotFound()
    return render(request, "sourcing/_board.html", _board_context(actor, event))


def _form_field(key: str) -> str:
    return "price-" + key.removeprefix("prices.") if key.startswith("prices.") else key


@require_POST
def quote_submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=pk)
    prices = {item.pk: request.POST.get(f"price-{item.pk}", "").strip() for item in event.items.all()}
    try:
        responses.quote_submit(
            actor=actor,
            event_id=event.pk,
            prices=prices,
            delivery_days=request.POST.get("delivery_days", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        # The service reports a price on "prices.<item id>"; the form's field is "price-<item id>".
        errors = {_form_field(k): [str(m) for m in v] for k, v in exc.fields.items()}
        if not exc.fields or "__all__" in errors:
            messages.error(request, str(exc.message))
        event = selectors.event_get(actor=actor, pk=pk)
        ctx = _detail_context(request, actor, event, errors=errors, posted=request.POST)
        return render(request, "sourcing/detail.html", ctx, status=400)
    messages.success(request, _("Your quote is in. You may revise it until the deadline."))
    return redirect("sourcing:detail", pk=event.pk)


def error_text(exc: DomainError) -> str:
    """What a refused action says: its field messages when it has any (the specific reason,
    not the generic "some of the input is not valid"), else its message."""
    texts = list(dict.fromkeys(str(m) for v in exc.fields.values() for m in v))
    return " ".join(texts) if texts else str(exc.message)


@require_POST
def bid_place(request: HttpRequest, pk: int) -> HttpResponse:
    """A bid from the board (htmx: the board comes back, with the refusal in place) or from
    the plain form (the page again, with the refusal on the board, status 400)."""
    actor = _actor(request)
    event = selectors.event_get(actor=actor, pk=pk)
    amount = request.POST.get("amount", "").strip()
    error = ""
    try:
        responses.bid_place(actor=actor, event_id=event.pk, amount=amount)
    except (NotFound, NotPermitted):
        raise
    except DomainError as exc:
        error = error_text(exc)
    event.refresh_from_db()
    if not request.htmx:  # type: ignore[attr-defined]
        if not error:
            messages.success(request, _("Your bid is in."))
            return redirect("sourcing:detail", pk=event.pk)
        ctx = _detail_context(request, actor, event, bid_error=error, bid_amount=amount)
        return render(request, "sourcing/detail.html", ctx, status=400)
    ctx = _board_context(actor, event, bid_error=error, bid_ok=not error, bid_amount=amount if error else "")
    response = render(request, "sourcing/_board.html", ctx, status=400 if error else 200)
    # The refused bid's message belongs on the board, in place (not in the page's #messages).
    response["HX-Reswap"] = "outerHTML"
    return response


def _post_action(request: HttpRequest, pk: int, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("sourcing:detail", pk=pk)


@require_POST
def quote_mark(request: HttpRequest, pk: int, quote_id: int) -> HttpResponse:
    actor = _unit_actor(request)
    selectors.event_get(actor=actor, pk=pk)
    non_compliant = request.POST.get("non_compliant") == "1"
    return _post_action(
        request,
        pk,
        lambda: responses.quote_mark(
            actor=actor, quote_id=quote_id, non_compliant=non_compliant, reason=request.POST.get("reason", "")
        ),
        _("The quote is marked non-compliant.") if non_compliant else _("The quote counts as compliant again."),
    )


@require_POST
def event_award(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _post_action(
        request,
        pk,
        lambda: outcomes.sourcing_award(actor=actor, event_id=pk),
        _("The result is confirmed and the order placed with the winner."),
    )


@require_POST
def event_award_next(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _post_action(
        request,
        pk,
        lambda: outcomes.sourcing_award_next(actor=actor, event_id=pk),
        _("The next supplier in line is awarded and the order placed with it."),
    )


@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    return _post_action(
        request,
        pk,
        lambda: services.sourcing_cancel(actor=actor, event_id=pk, reason=request.POST.get("reason", "")),
        _("Cancelled."),
    )


@require_POST
def event_republish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _unit_actor(request)
    try:
        event = services.sourcing_republish(
            actor=actor,
            event_id=pk,
            opens_at=request.POST.get("opens_at", ""),
            closes_at=request.POST.get("closes_at", ""),
            delivery_by=request.POST.get("delivery_by", "") or None,
            ceiling=request.POST.get("ceiling", "") or None,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("sourcing:detail", pk=pk)
    messages.success(request, _("Published again."))
    return redirect("sourcing:detail", pk=event.pk)
