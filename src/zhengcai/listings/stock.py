"""Stock and sales counters, for the orders app (re-exported by ``listings.services``).

Each runs in the caller's transaction (or its own): lock the listing row, check, change,
audit. Two purchasers taking the last unit queue on the row lock; the second sees 0 left.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.listings.errors import NotOnSale, OutOfStock
from zhengcai.listings.models import Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.suppliers import selectors as supplier_selectors

MAX_QUANTITY = 1_000_000


def _quantity(value: Any) -> int:
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        quantity = 0
    if isinstance(value, bool) or quantity < 1 or quantity > MAX_QUANTITY or str(value).strip() != str(quantity):
        raise ValidationFailed(
            _("The quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY},
            fields={"quantity": [_("Enter a whole number of at least 1.")]},
        )
    return quantity


def _lock(listing_id: int) -> Listing:
    listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    return listing


def _audit(actor: Actor, action: str, listing: Listing, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=f"listings.listing.{action}",
        obj=listing,
        data={"stock": listing.stock, "sales_count": listing.sales_count, **data},
    )


@transaction.atomic
def stock_take(*, actor: Actor, listing_id: int, quantity: int) -> Listing:
    """Take ``quantity`` units out of stock for an order.

    Refuses (changing nothing) a listing that is not listed or whose supplier may not sell
    (``NotOnSale``), and more than is in stock (``OutOfStock``: "库存不足：剩余 N 件").
    """
    quantity = _quantity(quantity)
    listing = _lock(listing_id)
    if listing.status != ListingStatus.LISTED or not supplier_selectors.supplier_may_sell(listing.supplier_id):
        raise NotOnSale(
            _("“%(title)s” is not on sale at the moment.") % {"title": listing.title},
            params={"listing_id": listing.pk},
        )
    if listing.stock < quantity:
        raise OutOfStock(
            _("Not enough stock: %(left)s %(unit)s left.") % {"left": listing.stock, "unit": listing.unit},
            params={"listing_id": listing.pk, "left": listing.stock},
        )
    listing.stock -= quantity
    listing.search_dirty = True
    listing.updated_at = clock.now()
    listing.save(update_fields=["stock", "search_dirty", "updated_at"])
    _audit(actor, "stock_take", listing, quantity=quantity)
    return listing


@transaction.atomic
def stock_return(*, actor: Actor, listing_id: int, quantity: int) -> Listing:
    """Put ``quantity`` units back (an order declined, cancelled or partly rejected); any status."""
    quantity = _quantity(quantity)
    listing = _lock(listing_id)
    listing.stock += quantity
    listing.search_dirty = True
    listing.updated_at = clock.now()
    listing.save(update_fields=["stock", "search_dirty", "updated_at"])
    _audit(actor, "stock_return", listing, quantity=quantity)
    return listing


@transaction.atomic
def sales_add(*, actor: Actor, listing_id: int, quantity: int) -> Listing:
    """Count ``quantity`` units as sold (on acceptance); feeds the shop's sort by sales."""
    quantity = _quantity(quantity)
    listing = _lock(listing_id)
    listing.sales_count += quantity
    listing.search_dirty = True
    listing.save(update_fields=["sales_count", "search_dirty"])
    _audit(actor, "sales_add", listing, quantity=quantity)
    return listing
