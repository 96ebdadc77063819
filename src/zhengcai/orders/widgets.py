"""The e-mall dashboard widget (web.dashboards builds its ``Widget`` from this)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengcai.core.actor import Actor
from zhengcai.orders import figures, permissions


def mall_orders_widget(*, actor: Actor) -> dict[str, Any] | None:
    """For purchasers and regulators: orders, amounts, savings and the median time from plan
    filing to order acceptance per region."""
    if not (permissions.is_purchaser(actor) or permissions.regulator_prefix(actor)):
        return None
    report = figures.order_figures(actor=actor)
    return {
        "key": "mall_orders",
        "title": _("E-mall: orders and plan-to-acceptance time"),
        "icon": "stopwatch",
        "template": "orders/_dashboard.html",
        "context": {"report": report, "medians": figures.plan_to_acceptance_medians(actor=actor)},
        "link": reverse("orders:figures"),
        "link_label": _("E-mall figures"),
        "wide": True,
    }
