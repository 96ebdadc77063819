"""How the budget ledger shows an order's commitment: "order:DD20260302000017" reads as
"Order DD20260302000017" (订单 DD20260302000017) on budget pages and in budget messages."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from zhengcai.budgets.refs import ref_labeller_register, ref_managed_register

# Order.number: "DD" + the placing date (YYYYMMDD) + the order id, at least 6 digits.
_NUMBER = re.compile(r"^DD\d{14,}$")


def order_ref_label(rest: str) -> str | None:
    """The label of the order reference ``order:<rest>``; None (shown as it is) unless
    ``rest`` is an order number. No query: the number is in the reference."""
    if not _NUMBER.match(rest):
        return None
    return _("Order %(number)s") % {"number": rest}


def register() -> None:
    ref_labeller_register("order", order_ref_label)
    # An order is accepted on the order page (quantities per line), never on the budget page.
    ref_managed_register("order")
