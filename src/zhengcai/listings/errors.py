"""Errors of the listings app that callers (orders, sourcing, shop) may want to catch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import Conflict


class OutOfStock(Conflict):
    """Fewer units in stock than asked for; the message says how many are left."""

    code = "out_of_stock"
    default_message = _("Not enough stock.")


class NotOnSale(Conflict):
    """The listing is not listed (or its supplier may not sell at the moment)."""

    code = "not_on_sale"
    default_message = _("This product is not on sale at the moment.")
