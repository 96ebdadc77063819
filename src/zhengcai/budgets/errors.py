"""Errors of the money backbone that callers (plans, mall, tendering) may want to catch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import DomainError


class InsufficientBudget(DomainError):
    """The line's available amount (or the reservation drawn on) does not cover the request."""

    code = "insufficient_budget"
    status = 409
    default_message = _("Insufficient budget: the budget line does not have enough money available.")


class FiscalYearClosed(DomainError):
    code = "fiscal_year_closed"
    status = 409
    default_message = _("The fiscal year of this budget line is closed.")
