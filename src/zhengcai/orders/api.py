"""Orders API, mounted at /api/v1/mall/orders/: cart, checkout, orders and their steps, figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from zhengcai.core.errors import NotFound
from zhengcai.orders import cart as cart_services
from zhengcai.orders import figures, permissions, selectors, services
from zhengcai.orders.figures import Row
from zhengcai.orders.models import Order
from zhengcai.orders.schemas import (
    AcceptIn,
    CartAddIn,
    CartGroupOut,
    CartItemOut,
    CartOut,
    CartUpdateIn,
    CheckoutIn,
    FigureRowOut,
    FiguresOut,
    MedianOut,
    OrderEventOut,
    OrderLineOut,
    OrderOut,
    PaymentOut,
    RateIn,
    ReasonIn,
    ShipIn,
)

router = Router(tags=["Orders"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def order_out(order: Order) -> OrderOut:
    return OrderOut(
        id=order.pk,
        number=order.number,
        status=order.status,
        source=order.source,
        source_ref=order.source_ref,
        budget_unit_id=order.buyer_id,
        budget_unit_name=order.buyer.name,
        supplier_id=order.supplier_id,
        supplier_name=order.supplier_name,
        supplier_is_sme=order.supplier_is_sme,
        plan_id=order.plan_id,
        line_id=order.line_id,
        commitment_id=order.commitment_id,
        payment_request_id=order.payment_request_id,
        total_amount=order.total_amount,
        reference_amount=order.reference_amount,
        accepted_amount=order.accepted_amount,
        placed_at=order.placed_at,
        confirm_due_at=order.confirm_due_at,
        accepted_at=order.accepted_at,
        decline_reason=order.decline_reason,
        cancel_reason=order.cancel_reason,
        reject_reason=order.reject_reason,
        lines=[
            OrderLineOut(
                id=x.pk,
                listing_id=x.listing_id,
                title=x.title,
                brand=x.brand,
                model=x.model,
                unit_price=x.unit_price,
                reference_price=x.reference_price,
                quantity=x.quantity,
                amount=x.amount,
                shipped_quantity=x.shipped_quantity,
                accepted_quantity=x.accepted_quantity,
            )
            for x in order.lines.all()
        ],
        events=[
            OrderEventOut(action=e.action, status=e.status, note=e.note, by=e.actor_label, at=e.at)
            for e in order.events.all()
        ],
    )


def _cart_out(request: HttpRequest) -> CartOut:
    cart = cart_services.cart_get(actor=_actor(request))
    return CartOut(
        total=cart.total,
        groups=[
            CartGroupOut(
                supplier_id=g.supplier_id,
                supplier_name=g.supplier_name,
                subtotal=g.subtotal,
                items=[
                    CartItemOut(
                        id=i.line.pk,
                        listing_id=i.line.listing_id,
                        title=i.line.listing.title,
                        quantity=i.line.quantity,
                        price=i.price,
                        price_when_added=i.line.price_when_added,
                        amount=i.amount,
                        on_sale=i.on_sale,
                        stock=i.stock,
                    )
                    for i in g.items
                ],
            )
            for g in cart.groups
        ],
    )


def _require_purchaser(request: HttpRequest) -> None:
    permissions.require_person_purchaser(_actor(request))


@router.get("/cart/", response=CartOut, summary="The caller's cart, grouped by supplier")
def cart_get(request: HttpRequest) -> CartOut:
    _require_purchaser(request)
    return _cart_out(request)


@router.post("/cart/", response={201: CartOut}, summary="Put a listing in the cart")
def cart_add(request: HttpRequest, payload: CartAddIn) -> Status[CartOut]:
    cart_services.cart_add(actor=_actor(request), listing_id=payload.listing_id, quantity=payload.quantity)
    return Status(201, _cart_out(request))


@router.put("/cart/{line_id}/", response=CartOut, summary="Set the quantity of a cart line")
def cart_update(request: HttpRequest, line_id: int, payload: CartUpdateIn) -> CartOut:
    cart_services.cart_update(actor=_actor(request), line_id=line_id, quantity=payload.quantity)
    return _cart_out(request)


@router.delete("/cart/{line_id}/", response=CartOut, summary="Remove a cart line")
def cart_remove(request: HttpRequest, line_id: int) -> CartOut:
    cart_services.cart_remove(actor=_actor(request), line_id=line_id)
    return _cart_out(request)


@router.post(
    "/checkout/", response={201: list[OrderOut]}, summary="Check the cart out: one direct-purchase order per supplier"
)
def checkout(request: HttpRequest, payload: CheckoutIn) -> Status[list[OrderOut]]:
    orders = services.order_checkout(
        actor=_actor(request),
        plan_id=payload.plan_id,
        funding=payload.funding,
        delivery_address=payload.delivery_address,
        note=payload.note,
    )
    return Status(201, [order_out(o) for o in orders])


@router.get("/", response=list[OrderOut], summary="Orders the caller may see")
def orders_list(request: HttpRequest, status: str = "", q: str = "") -> list[OrderOut]:
    orders = selectors.orders_visible(actor=_actor(request), status=status, q=q)[:200]
    return [order_out(o) for o in orders]


def _figures_actor(request: HttpRequest) -> Any:
    actor = _actor(request)
    if not permissions.orders.can(actor, permissions.VIEW):
        raise NotFound()
    return actor


@router.get(
    "/figures/",
    response=FiguresOut,
    summary="Orders, amounts, savings, SME share (regions rolled up); plan-to-acceptance medians",
)
def figures_get(request: HttpRequest, year: int | None = None) -> FiguresOut:
    actor = _figures_actor(request)
    year = figures.clean_year(year)  # 422 year_out_of_range outside 2000-2100
    report = figures.order_figures(actor=actor, year=year)

    def row(r: Row) -> FigureRowOut:
        return FigureRowOut(
            code=str(r.key) if r.key not in ("", None) else None,
            label=str(r.label),
            depth=r.depth,
            orders=r.orders,
            amount=r.amount,
            savings=r.savings,
            sme_amount=r.sme_amount,
            sme_share=r.sme_share,
        )

    return FiguresOut(
        year=year,
        total=row(report.total),
        by_region=[row(r) for r in report.by_region],
        by_unit=[row(r) for r in report.by_unit],
        by_supplier=[row(r) for r in report.by_supplier],
        plan_to_acceptance=[
            MedianOut(region_code=m.region_code, region=m.region, depth=m.depth, orders=m.orders, median_hours=m.hours)
            for m in figures.plan_to_acceptance_medians(actor=actor, year=year)
        ],
    )


@router.get("/figures/xlsx/", summary="The figures as an Excel workbook (the same as the figures page's export)")
def figures_xlsx(request: HttpRequest, year: int | None = None) -> HttpResponse:
    actor = _figures_actor(request)
    year = figures.clean_year(year)
    response = HttpResponse(
        figures.figures_xlsx(actor=actor, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"mall-orders-figures-{year}.xlsx" if year else "mall-orders-figures.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/{order_id}/", response=OrderOut, summary="One order with its lines and timeline")
def order_get(request: HttpRequest, order_id: int) -> OrderOut:
    return order_out(selectors.order_get(actor=_actor(request), pk=order_id))


def _fresh(request: HttpRequest, order_id: int) -> OrderOut:
    return order_out(selectors.order_get(actor=_actor(request), pk=order_id))


@router.post("/{order_id}/confirm/", response=OrderOut, summary="Supplier: confirm the order")
def order_confirm(request: HttpRequest, order_id: int) -> OrderOut:
    services.order_confirm(actor=_actor(request), order_id=order_id)
    return _fresh(request, order_id)


@router.post("/{order_id}/decline/", response=OrderOut, summary="Supplier: decline the order with a reason")
def order_decline(request: HttpRequest, order_id: int, payload: ReasonIn) -> OrderOut:
    services.order_decline(actor=_actor(request), order_id=order_id, reason=payload.reason)
    return _fresh(request, order_id)


@router.post("/{order_id}/cancel/", response=OrderOut, summary="Purchaser: cancel before the supplier confirms")
def order_cancel(request: HttpRequest, order_id: int, payload: ReasonIn) -> OrderOut:
    services.order_cancel(actor=_actor(request), order_id=order_id, reason=payload.reason)
    return _fresh(request, order_id)


@router.post("/{order_id}/ship/", response=OrderOut, summary="Supplier: ship with a delivery note")
def order_ship(request: HttpRequest, order_id: int, payload: ShipIn) -> OrderOut:
    services.order_ship(
        actor=_actor(request),
        order_id=order_id,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        quantities=payload.quantities,
        note=payload.note,
    )
    return _fresh(request, order_id)


@router.post("/{order_id}/accept/", response=OrderOut, summary="Purchaser: accept (验收) fully or partly")
def order_accept(request: HttpRequest, order_id: int, payload: AcceptIn) -> OrderOut:
    services.order_accept(actor=_actor(request), order_id=order_id, quantities=payload.quantities)
    return _fresh(request, order_id)


@router.post("/{order_id}/reject/", response=OrderOut, summary="Purchaser: reject the delivery with reasons")
def order_reject(request: HttpRequest, order_id: int, payload: ReasonIn) -> OrderOut:
    services.order_reject(actor=_actor(request), order_id=order_id, reason=payload.reason)
    return _fresh(request, order_id)


@router.post("/{order_id}/rate/", response=OrderOut, summary="Purchaser: rate the supplier (once)")
def order_rate(request: HttpRequest, order_id: int, payload: RateIn) -> OrderOut:
    services.order_rate(actor=_actor(request), order_id=order_id, stars=payload.stars, comment=payload.comment)
    return _fresh(request, order_id)


@router.post(
    "/{order_id}/payment-request/",
    response={201: PaymentOut},
    summary="Purchaser: create the payment request of the accepted order",
)
def order_payment_request(request: HttpRequest, order_id: int) -> Status[PaymentOut]:
    payment = services.order_payment_request_create(actor=_actor(request), order_id=order_id)
    return Status(201, PaymentOut(payment_request_id=payment.pk, amount=payment.amount, status=payment.status))
