"""The purchaser's cart (购物车): one per user and budget unit, kept in the database.

The cart keeps the price a listing had when it was added only to show the change since;
checkout always charges the price listed at that moment.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.core.money import ZERO, cny
from zhengcai.listings import selectors as listing_selectors
from zhengcai.orders import permissions
from zhengcai.orders.models import CartLine
from zhengcai.orders.services import MAX_QUANTITY, clean_quantity

MAX_CART_LINES = 100


_require_purchaser = permissions.require_person_purchaser


def _mine(actor: Actor) -> Any:
    assert actor.user_id is not None
    assert actor.organisation_id is not None
    return CartLine.objects.filter(user_id=actor.user_id, organisation_id=actor.organisation_id)


def _listing_id(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        message = _("Choose a product.")
        raise ValidationFailed(message, fields={"listing_id": [message]}) from None


def cart_add(*, actor: Actor, listing_id: Any, quantity: Any = 1) -> CartLine:
    """Put a listed product in the cart (adding to the quantity if it is there already).
    Preconditions: a purchaser; the listing is on sale (NotFound otherwise)."""
    _require_purchaser(actor)
    quantity = clean_quantity(quantity)
    listing = listing_selectors.listing_get_public(_listing_id(listing_id))
    now = clock.now()
    with transaction.atomic():
        line = _mine(actor).select_for_update().filter(listing=listing).first()
        if line is None:
            if _mine(actor).count() >= MAX_CART_LINES:
                raise ValidationFailed(
                    _("The cart holds at most %(n)s products; check out first.") % {"n": MAX_CART_LINES}
                )
            assert actor.user_id is not None
            assert actor.organisation_id is not None
            return CartLine.objects.create(
                user_id=actor.user_id,
                organisation_id=actor.organisation_id,
                listing=listing,
                quantity=quantity,
                price_when_added=listing.price,
                added_at=now,
                updated_at=now,
            )
        line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
        line.updated_at = now
        line.save(update_fields=["quantity", "updated_at"])
        return line


def cart_update(*, actor: Actor, line_id: Any, quantity: Any) -> CartLine:
    """Set the quantity of a cart line (NotFound for another person's line)."""
    _require_purchaser(actor)
    quantity = clean_quantity(quantity)
    line = _mine(actor).filter(pk=_int(line_id)).first()
    if line is None:
        raise NotFound()
    line.quantity = quantity
    line.updated_at = clock.now()
    line.save(update_fields=["quantity", "updated_at"])
    return line


def cart_remove(*, actor: Actor, line_id: Any) -> None:
    _require_purchaser(actor)
    deleted, _rows = _mine(actor).filter(pk=_int(line_id)).delete()
    if not deleted:
        raise NotFound()


def cart_clear(*, actor: Actor, line_ids: list[int] | None = None) -> None:
    qs = _mine(actor)
    if line_ids is not None:
        qs = qs.filter(pk__in=line_ids)
    qs.delete()


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


# -- reading the cart ----------------------------------------------------------------------------


@dataclass
class CartItem:
    line: CartLine
    on_sale: bool
    price: Decimal  # the current listed price (what checkout charges)
    stock: int

    @property
    def amount(self) -> Decimal:
        return cny(self.price * self.line.quantity)

    @property
    def price_change(self) -> Decimal:
        return self.price - self.line.price_when_added

    @property
    def short_of_stock(self) -> bool:
        return self.on_sale and self.stock < self.line.quantity


@dataclass
class SupplierGroup:
    supplier_id: int
    supplier_name: str
    items: list[CartItem] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((i.amount for i in self.items if i.on_sale), ZERO)


@dataclass
class Cart:
    groups: list[SupplierGroup]

    @property
    def total(self) -> Decimal:
        return sum((g.subtotal for g in self.groups), ZERO)

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def has_problems(self) -> bool:
        return any(not i.on_sale or i.short_of_stock for g in self.groups for i in g.items)


def cart_get(*, actor: Actor) -> Cart:
    """The actor's cart grouped by supplier, with current prices, stock and availability."""
    if not permissions.is_purchaser(actor) or actor.user_id is None:
        return Cart(groups=[])
    lines = list(_mine(actor).select_related("listing", "listing__supplier"))
    public = {x.pk for x in listing_selectors.listings_public_many(line.listing_id for line in lines)}
    groups: OrderedDict[int, SupplierGroup] = OrderedDict()
    for line in sorted(lines, key=lambda x: (x.listing.supplier.name, x.added_at, x.pk)):
        listing = line.listing
        group = groups.setdefault(
            listing.supplier_id, SupplierGroup(supplier_id=listing.supplier_id, supplier_name=listing.supplier.name)
        )
        group.items.append(CartItem(line=line, on_sale=listing.pk in public, price=listing.price, stock=listing.stock))
    return Cart(groups=list(groups.values()))


def cart_count(*, actor: Actor) -> int:
    if not permissions.is_purchaser(actor) or actor.user_id is None:
        return 0
    return _mine(actor).count()
