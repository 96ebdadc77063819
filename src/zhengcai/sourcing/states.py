"""Sourcing kinds and statuses (在线询价 / 反向竞价) and their transition table.

An event is ``open`` from publication until its deadline (an inquiry's quote deadline, an
auction's end). Past the deadline it is *due* to close: selectors show it as closed at once
(derived from the clock) and ``tasks.sourcing_sweep`` or the next service that touches it
applies ``close`` (enough quotes or bidders) or ``fail`` (too few). The purchaser then
confirms the award (``award``) or gives up (``cancel``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.core.states import StateMachine, Transition


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Online inquiry")
    AUCTION = "auction", _("Reverse auction")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("sourcing", "Open")
    CLOSED = "closed", _("Closed, awaiting award")
    FAILED = "failed", pgettext_lazy("sourcing", "Failed")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", pgettext_lazy("sourcing", "Cancelled")


S = Status

SOURCING_MACHINE = StateMachine(
    Transition("close", {S.OPEN}, S.CLOSED),
    Transition("fail", {S.OPEN}, S.FAILED),
    Transition("award", {S.CLOSED}, S.AWARDED),
    Transition("cancel", {S.OPEN, S.CLOSED, S.FAILED}, S.CANCELLED),
)

# Statuses in which the event still counts against what the plan holds on its line.
ACTIVE = frozenset({S.OPEN, S.CLOSED})
FINAL = frozenset({S.FAILED, S.AWARDED, S.CANCELLED})
