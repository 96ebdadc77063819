"""Order pages: cart, checkout, order list and detail (both sides), step forms, figures.

Thin views over ``orders.cart``, ``orders.services`` and ``orders.selectors``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound, NotPermitted
from zhengcai.orders import cart as cart_services
from zhengcai.orders import figures as order_figures
from zhengcai.orders import permissions, selectors, services
from zhengcai.orders.states import OrderStatus

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.orders.can(actor, permissions.VIEW):
        raise NotFound()
    return actor


def _purchaser(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.is_purchaser(actor):
        raise NotFound()
    return actor


def _errors(request: HttpRequest, exc: DomainError) -> None:
    texts = [str(m) for v in exc.fields.values() for m in v] if exc.fields else []
    for text in dict.fromkeys([str(exc.message), *texts]) if exc.fields else [str(exc.message)]:
        messages.error(request, text)


# -- cart ----------------------------------------------------------------------------------------


@require_GET
def cart_view(request: HttpRequest) -> HttpResponse:
    actor = _purchaser(request)
    cart = cart_services.cart_get(actor=actor)
    listings = [i.line.listing for g in cart.groups for i in g.items]
    plans = selectors.plans_for_checkout(actor=actor, listings=listings)
    unfit = bool(listings) and not plans and bool(selectors.plans_for_checkout(actor=actor))
    return render(request, "orders/cart.html", {"cart": cart, "plans": plans, "no_plan_fits": unfit})


def _back_to_cart(request: HttpRequest) -> HttpResponse:
    return redirect("orders:cart")


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    actor = _purchaser(request)
    try:
        line = cart_services.cart_add(
            actor=actor, listing_id=request.POST.get("listing_id"), quantity=request.POST.get("quantity", "1")
        )
    except (NotFound, NotPermitted):
        raise
    except DomainError as exc:
        _errors(request, exc)
        return _back_to_cart(request)
    messages.success(request, _("“%(title)s” is in the cart.") % {"title": line.listing.title})
    if request.headers.get("HX-Request"):
        return render(request, "orders/_cart_added.html", {"count": cart_services.cart_count(actor=actor)})
    return _back_to_cart(request)


@require_POST
def cart_update(request: HttpRequest, line_id: int) -> HttpResponse:
    actor = _purchaser(request)
    try:
        cart_services.cart_update(actor=actor, line_id=line_id, quantity=request.POST.get("quantity"))
    except (NotFound, NotPermitted):
        raise
    except DomainError as exc:
        _errors(request, exc)
    return _back_to_cart(request)


@require_POST
def cart_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    actor = _purchaser(request)
    cart_services.cart_remove(actor=actor, line_id=line_id)
    messages.success(request, _("Removed from the cart."))
    return _back_to_cart(request)


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    actor = _purchaser(request)
    if request.method == "GET":
        return _back_to_cart(request)
    plan_id = request.POST.get("plan_id", "")
    prefix = f"funding_{plan_id}_"
    funding = {key.removeprefix(prefix): value for key, value in request.POST.items() if key.startswith(prefix)}
    try:
        orders = services.order_checkout(
            actor=actor,
            plan_id=plan_id,
            funding={k: v for k, v in funding.items() if v},
            delivery_address=request.POST.get("delivery_address", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        _errors(request, exc)
        return _back_to_cart(request)
    messages.success(
        request,
        _("%(n)s order(s) placed: %(numbers)s. The suppliers are asked to confirm.")
        % {"n": len(orders), "numbers": ", ".join(o.number for o in orders)},
    )
    if len(orders) == 1:
        return redirect("orders:detail", pk=orders[0].pk)
    return redirect("orders:list")


# -- orders --------------------------------------------------------------------------------------


@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    status = status if status in OrderStatus.values else ""
    q = request.GET.get("q", "")
    page = Paginator(selectors.orders_visible(actor=actor, status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.status_counts(actor=actor)
    return render(
        request,
        "orders/list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in OrderStatus],
            "is_purchaser": permissions.is_purchaser(actor),
            "is_supplier": permissions.is_supplier(actor),
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    order = selectors.order_get(actor=actor, pk=pk)
    lines = list(order.lines.all())
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "lines": lines,
            "events": selectors.order_timeline(order),
            "links": selectors.order_links(actor=actor, order=order),
            "to_ship": selectors.to_ship(order),
            "unshipped": ", ".join(
                f"{line.title} × {line.quantity - line.shipped_quantity}"
                for line in lines
                if line.shipped_quantity < line.quantity
            ),
            "deliveries": list(order.deliveries.all()),
            "rating": getattr(order, "rating", None),
            "actions": selectors.order_actions(actor=actor, order=order),
            "is_purchaser": permissions.is_purchaser(actor),
            "payment_url": reverse("budgets:payment_detail", args=[order.payment_request_id])
            if order.payment_request_id
            else "",
        },
    )


def _quantities(request: HttpRequest) -> dict[str, Any] | None:
    values: dict[str, Any] = {k.removeprefix("qty_"): v for k, v in request.POST.items() if k.startswith("qty_")}
    return values or None


ACTIONS: dict[str, Any] = {
    "confirm": (
        lambda a, pk, p, r: services.order_confirm(actor=a, order_id=pk),
        gettext_lazy("The order is confirmed."),
    ),
    "decline": (
        lambda a, pk, p, r: services.order_decline(actor=a, order_id=pk, reason=p.get("reason", "")),
        gettext_lazy("The order is declined; the budget unit is told."),
    ),
    "cancel": (
        lambda a, pk, p, r: services.order_cancel(actor=a, order_id=pk, reason=p.get("reason", "")),
        gettext_lazy("The order is cancelled."),
    ),
    "ship": (
        lambda a, pk, p, r: services.order_ship(
            actor=a,
            order_id=pk,
            carrier=p.get("carrier", ""),
            tracking_number=p.get("tracking_number", ""),
            quantities=_quantities(r),
            note=p.get("note", ""),
        ),
        gettext_lazy("The delivery note is recorded; the budget unit is told."),
    ),
    "accept": (
        lambda a, pk, p, r: services.order_accept(actor=a, order_id=pk, quantities=_quantities(r)),
        gettext_lazy("The acceptance is recorded. You can now create the payment request."),
    ),
    "reject": (
        lambda a, pk, p, r: services.order_reject(actor=a, order_id=pk, reason=p.get("reason", "")),
        gettext_lazy("The delivery is rejected; the supplier is asked to ship again."),
    ),
    "rate": (
        lambda a, pk, p, r: services.order_rate(
            actor=a, order_id=pk, stars=p.get("stars", ""), comment=p.get("comment", "")
        ),
        gettext_lazy("Thank you for rating the supplier."),
    ),
}


@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    selectors.order_get(actor=actor, pk=pk)  # NotFound before anything else
    if action == "payment_request":
        try:
            payment = services.order_payment_request_create(actor=actor, order_id=pk)
        except (NotFound, NotPermitted):
            raise
        except DomainError as exc:
            _errors(request, exc)
            return redirect("orders:detail", pk=pk)
        messages.success(request, _("The payment request is created as a draft: check and submit it."))
        return redirect("budgets:payment_detail", pk=payment.pk)
    if action not in ACTIONS:
        raise NotFound()
    call, done = ACTIONS[action]
    try:
        call(actor, pk, request.POST, request)
    except (NotFound, NotPermitted):
        raise
    except DomainError as exc:
        _errors(request, exc)
        return redirect("orders:detail", pk=pk)
    messages.success(request, str(done))
    return redirect("orders:detail", pk=pk)


# -- figures -------------------------------------------------------------------------------------


def _figures_actor(request: HttpRequest) -> Actor:
    return _actor(request)


def _year(request: HttpRequest) -> int | None:
    """The ``year`` filter of the figures (2000-2100); anything else is ignored (all years),
    with a message saying so."""
    text = request.GET.get("year", "").strip()
    try:
        return order_figures.clean_year(text)
    except DomainError:
        messages.warning(request, _("%(problem)s All years are shown.") % {"problem": order_figures.year_message(text)})
        return None


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    actor = _figures_actor(request)
    year = _year(request)
    report = order_figures.order_figures(actor=actor, year=year)
    return render(
        request,
        "orders/figures.html",
        {
            "report": report,
            "medians": order_figures.plan_to_acceptance_medians(actor=actor, year=year),
            "year": year,
            "years": sorted({*order_figures.figure_years(actor=actor), *([year] if year else [])}, reverse=True),
        },
    )


@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    actor = _figures_actor(request)
    year = _year(request)
    response = HttpResponse(order_figures.figures_xlsx(actor=actor, year=year), content_type=XLSX)
    name = f"mall-orders-figures-{year}.xlsx" if year else "mall-orders-figures.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
