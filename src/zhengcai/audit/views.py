"""Audit trail pages: the regulator's event viewer and the public list of head hashes."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhengcai.audit import exports, selectors
from zhengcai.audit.forms import EventFilterForm
from zhengcai.audit.permissions import EXPORT, VERIFY, policy
from zhengcai.audit.verify import recompute_hash, verify_chain
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound

PAGE_SIZE = 50
RESULTS_TARGET = "audit-results"


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _require(actor: Actor, action: str) -> None:
    # Everyone who may not use the viewer sees "not found", as for a page that does not exist.
    if not policy.can(actor, action):
        raise NotFound()


def _filter_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    visible = selectors.events_visible(actor=actor)
    form = EventFilterForm(request.GET)
    page = None
    if form.is_valid():
        filtered = selectors.events_filtered(actor=actor, filters=form.filters())
        page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _filter_query(request), "any_visible": visible.exists()}
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == RESULTS_TARGET:
        return render(request, "audit/_events_results.html", context)
    return render(request, "audit/events.html", context)


@require_GET
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    event = selectors.event_get(actor=_actor(request), seq=seq)
    context = {
        "event": event,
        "data_pretty": json.dumps(event.data, ensure_ascii=False, indent=2, sort_keys=True),
        "hash_ok": recompute_hash(event) == event.hash,
    }
    return render(request, "audit/event_detail.html", context)


@require_GET
def events_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    actor = _actor(request)
    _require(actor, EXPORT)
    if fmt not in {"csv", "xlsx"}:
        raise NotFound()
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "audit/events.html", {"form": form, "page": None, "query": "", "any_visible": True}, status=400
        )
    filtered = selectors.events_filtered(actor=actor, filters=form.filters())
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        stream = StreamingHttpResponse(exports.csv_rows(filtered), content_type="text/csv; charset=utf-8")
        stream["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
        return stream
    response = HttpResponse(
        exports.xlsx_bytes(filtered),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.xlsx"'
    return response


@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the whole chain now (read-only; POST because it may take a while)."""
    _require(_actor(request), VERIFY)
    result = verify_chain()
    context = {"result": result, "verified_at": clock.now()}
    if getattr(request, "htmx", None):
        return render(request, "audit/_verify_result.html", context)
    return render(request, "audit/verify.html", context)


@login_not_required
@require_GET
def public_heads(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_heads(), 100).get_page(request.GET.get("page"))
    return render(request, "audit/public_heads.html", {"head": selectors.current_head(), "page": page})
