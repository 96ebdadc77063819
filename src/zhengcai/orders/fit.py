"""Whether mall goods fit a plan (商品与采购计划品目相符).

A plan is filed for catalogue items (``PlanItem.catalogue_item``); an order against it must
buy goods of the same kind. A listing's catalogue code is its category's ``catalogue_item``,
or its parent category's when the leaf has none (e.g. 硒鼓粉盒 under 打印设备及耗材
A02020000). Two codes are "of the same kind" when they share the catalogue class: the first
``CLASS_LENGTH`` characters (e.g. "A0201" 计算机设备, "A0202" 办公设备, "A0504" 办公用品).

A listing whose category and parent both carry no code cannot be checked and is allowed:
the taxonomy leaves some consumables uncoded until the operator confirms their 2022 code
(see ``listings.taxonomy``), and refusing them would make them unbuyable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import ValidationFailed
from zhengcai.plans.models import ProcurementPlan

CLASS_LENGTH = 5


def listing_code(listing: Any) -> str:
    """The catalogue code of a listing (its category's, else its parent category's), or ""."""
    category = listing.category
    for node in (category, category.parent if category is not None else None):
        if node is not None and node.catalogue_item_id is not None:
            return str(node.catalogue_item.code)
    return ""


def plan_codes(plan: ProcurementPlan) -> list[tuple[str, str]]:
    """The plan's items as (catalogue code, description), in the plan's order."""
    return [(str(code), str(desc)) for code, desc in plan.items.values_list("catalogue_item__code", "description")]


def fits(code: str, codes: Iterable[str]) -> bool:
    """Whether goods of ``code`` fit a plan of ``codes`` (uncoded goods always fit)."""
    if not code:
        return True
    return any(code[:CLASS_LENGTH] == other[:CLASS_LENGTH] for other in codes)


def items_text(plan: ProcurementPlan) -> str:
    return "、".join(f"{code} {desc}" for code, desc in plan_codes(plan)) or "-"


def check_goods_fit(plan: ProcurementPlan, listings: Iterable[Any]) -> None:
    """Refuse (``goods_not_in_plan``) when a listing is not of the kind the plan was filed for."""
    codes = [code for code, _desc in plan_codes(plan)]
    for listing in listings:
        code = listing_code(listing)
        if fits(code, codes):
            continue
        message = _(
            "“%(title)s” (catalogue code %(code)s) is not among what the plan %(plan)s was filed for "
            "(%(items)s). Choose a plan for these goods, or file one."
        ) % {"title": listing.title, "code": code, "plan": plan.number, "items": items_text(plan)}
        raise ValidationFailed(message, code="goods_not_in_plan", fields={"plan_id": [message]})
