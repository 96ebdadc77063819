"""Plan and method-change statuses and their transition tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.budgets.states import LabelledMachine
from zhengcai.core.states import Transition


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    CHANGE_REQUESTED = "change_requested", _("Method change requested")
    APPROVED = "approved", _("Method change approved")
    REJECTED = "rejected", _("Method change rejected")
    EXECUTING = "executing", _("Executing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


S = PlanStatus

PLAN_MACHINE = LabelledMachine(
    Transition("file", {S.DRAFT}, S.FILED),
    Transition("request_change", {S.DRAFT}, S.CHANGE_REQUESTED),
    Transition("approve", {S.CHANGE_REQUESTED}, S.APPROVED),
    Transition("reject", {S.CHANGE_REQUESTED}, S.REJECTED),
    # A rejected plan goes back to draft (its reservations released) to be revised.
    Transition("revise", {S.REJECTED}, S.DRAFT),
    Transition("start", {S.FILED, S.APPROVED}, S.EXECUTING),
    Transition("complete", {S.EXECUTING}, S.COMPLETED),
    Transition("cancel", {S.DRAFT, S.FILED, S.APPROVED, S.REJECTED, S.CHANGE_REQUESTED}, S.CANCELLED),
    labels={
        "file": _("file the plan"),
        "request_change": _("request a method change"),
        "approve": _("approve the method change"),
        "reject": _("reject the method change"),
        "revise": _("take the plan back to draft"),
        "start": _("start execution"),
        "complete": _("complete the plan"),
        "cancel": _("cancel the plan"),
    },
)

# Statuses in which the plan holds reservations on its budget lines.
RESERVING = frozenset({S.FILED, S.CHANGE_REQUESTED, S.APPROVED, S.REJECTED, S.EXECUTING})
# Statuses in which the plan is in force and may be executed.
IN_FORCE = frozenset({S.FILED, S.APPROVED, S.EXECUTING})
# Statuses in which an intention may be published.
INTENTION_OPEN = frozenset({S.DRAFT, S.FILED, S.CHANGE_REQUESTED, S.APPROVED})


class ChangeStatus(models.TextChoices):
    # A context of its own: the bare "Pending" is a notification's state (待发送) elsewhere.
    PENDING = "pending", pgettext_lazy("method change", "Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CHANGE_MACHINE = LabelledMachine(
    Transition("approve", {ChangeStatus.PENDING}, ChangeStatus.APPROVED),
    Transition("reject", {ChangeStatus.PENDING}, ChangeStatus.REJECTED),
    Transition("withdraw", {ChangeStatus.PENDING}, ChangeStatus.WITHDRAWN),
    labels={
        "approve": _("approve the method change"),
        "reject": _("reject the method change"),
        "withdraw": _("withdraw the request"),
    },
)
