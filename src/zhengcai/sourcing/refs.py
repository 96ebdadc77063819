"""How a sourcing event's plan hold reads on plan and budget pages: "sourcing:XJ000002" is
"在线询价 XJ000002" (Online inquiry XJ000002), "sourcing:JJ000006" "反向竞价 JJ000006"."""

from __future__ import annotations

import re

from django.apps import apps
from django.utils.translation import gettext as _

from zhengcai.budgets.refs import ref_labeller_register

_NUMBER = re.compile(r"^(XJ|JJ)\d{6,}$")


def sourcing_ref_label(rest: str) -> str | None:
    """The label of ``sourcing:<number>``; None (shown as it is) unless it is an event number.

    An older order's ``source_ref`` is "sourcing:<pk>": it reads as the event's number too."""
    if rest.isdigit():
        event = apps.get_model("sourcing", "SourcingEvent").objects.filter(pk=int(rest)).only("pk", "kind").first()
        if event is None:
            return None
        rest = event.number
    match = _NUMBER.match(rest)
    if match is None:
        return None
    if match.group(1) == "XJ":
        return _("Online inquiry %(number)s") % {"number": rest}
    return _("Reverse auction %(number)s") % {"number": rest}


def register() -> None:
    ref_labeller_register("sourcing", sourcing_ref_label)
