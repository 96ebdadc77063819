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

from zhengcai.budgets.states import LabelledMachine
from zhengcai.core.states import Transition


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

# Refusals name the action in words ("confirm the award"), never "award".
SOURCING_MACHINE = LabelledMachine(
    Transition("close", {S.OPEN}, S.CLOSED),
    Transition("fail", {S.OPEN}, S.FAILED),
    Transition("award", {S.CLOSED}, S.AWARDED),
    Transition("cancel", {S.OPEN, S.CLOSED, S.FAILED}, S.CANCELLED),
    # The winner declined the order (or it was cancelled before confirmation): the event goes
    # back to closed for the next supplier in line, within the same transaction as that award.
    Transition("reopen", {S.AWARDED}, S.CLOSED),
    labels={
        "close": _("close it"),
        "fail": _("declare it failed"),
        "award": _("confirm the award"),
        "cancel": _("cancel it"),
        "reopen": _("award the next supplier"),
    },
)

# Statuses in which the event still counts against what the plan holds on its line.
ACTIVE = frozenset({S.OPEN, S.CLOSED})
FINAL = frozenset({S.FAILED, S.AWARDED, S.CANCELLED})

# How an awarded event reads once its winner declined the order (or it was cancelled before
# confirmation): the stale "awarded" would hide that the purchaser must act.
LAPSED_LABEL = _("Winner declined: award the next supplier or publish again")
