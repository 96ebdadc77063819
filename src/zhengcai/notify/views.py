"""The notification centre: thin views over the notify selectors and services.

Every action is a plain POST form that works without JavaScript; htmx enhances it by
swapping only the changed fragment and telling the bell to refresh (``notify-changed``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhengcai.notify import selectors, services

PAGE_SIZE = 20
CHANGED_EVENT = "notify-changed"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _list_context(request: HttpRequest, *, unread_only: bool, page_number: str | None) -> dict[str, object]:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.notification_list(actor=actor, unread_only=unread_only), PAGE_SIZE).get_page(page_number)
    return {
        "page": page,
        "unread_only": unread_only,
        "unread_count": selectors.notification_unread_count(actor=actor),
        "current_url": request.get_full_path(),
    }


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notify:list")


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("filter") == "unread"
    context = _list_context(request, unread_only=unread_only, page_number=request.GET.get("page"))
    return render(request, "notify/list.html", context)


@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.notification_mark_read(actor=request.actor, notification_id=pk)  # type: ignore[attr-defined]
    if _is_htmx(request):
        response = render(
            request,
            "notify/_item.html",
            {
                "notification": notification,
                "current_url": request.POST.get("next", ""),
                # Out-of-band: the page's unread total changes too.
                "unread_count": selectors.notification_unread_count(actor=request.actor),  # type: ignore[attr-defined]
                "oob_total": True,
            },
        )
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return _back(request)


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and follow the notification's link (always a path inside the platform)."""
    notification = services.notification_mark_read(actor=request.actor, notification_id=pk)  # type: ignore[attr-defined]
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(notification.url)
    return redirect("notify:list")


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.actor)  # type: ignore[attr-defined]
    if _is_htmx(request):
        unread_only = request.POST.get("filter") == "unread"
        context = _list_context(request, unread_only=unread_only, page_number=None)
        context["current_url"] = reverse("notify:list") + ("?filter=unread" if unread_only else "")
        response = render(request, "notify/_list.html", context)
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return _back(request)


@login_not_required
@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The bell's badge. Open to anonymous callers (an expired session gets an empty
    badge rather than a login page swapped into the header)."""
    count = 0
    if request.user.is_authenticated:
        count = selectors.notification_unread_count(actor=request.actor)  # type: ignore[attr-defined]
    response = render(request, "notify/_badge.html", {"count": count})
    response["Cache-Control"] = "no-store"
    return response
