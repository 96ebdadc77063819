"""Human renderings of rule values, for the detail page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from zhengcai.core.money import format_cny
from zhengcai.rules.values import LISTING_PRICE_RULE_LABELS, Unit


def _cny(value: object) -> str:
    assert isinstance(value, Decimal)
    return format_cny(value)


_RENDER: dict[Unit, Callable[[object], str]] = {
    Unit.PERIOD: str,
    Unit.PERCENT_BAND: str,
    Unit.RATIO: str,
    Unit.COUNT: str,
    Unit.PERCENT: lambda v: f"{v}%",
    Unit.CNY: _cny,
    Unit.YEARS: lambda v: _("%(n)s years") % {"n": v},
    Unit.MONTHS: lambda v: _("%(n)s months") % {"n": v},
    Unit.FLAG: lambda v: _("yes") if v else _("no"),
    Unit.CHOICE: lambda v: str(LISTING_PRICE_RULE_LABELS.get(str(v), v)),
}


def stored_text(value: str) -> str:
    """A legal basis or note as stored on a rule set, in the reader's language.

    The shipped versions store catalogue keys (``rules.defaults``), which translate; text an
    operator typed is not in the catalogue and comes back unchanged.
    """
    return _(value) if value else value


def format_value(value: object, unit: Unit) -> str:
    """One value with its unit: "5 working days", "10%–20%", "¥1,000,000.00", "yes"."""
    if value is None:
        return _("not set")
    return _RENDER[unit](value)
