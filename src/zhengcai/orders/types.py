"""Plain values other apps pass to the orders services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class AwardedItem:
    """One line of an order placed for the winner of an online inquiry or a reverse auction."""

    description: str
    quantity: int
    unit_price: Decimal
    listing_id: int | None = None
    reference_price: Decimal | None = None
