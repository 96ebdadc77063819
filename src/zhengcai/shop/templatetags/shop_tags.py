"""Storefront template helpers: money, bilingual names, query strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import format_cny

register = template.Library()


@register.filter
def cny(value: Any) -> str:
    """Money as "¥1,234.50"; None, blanks and non-numbers show as "—"."""
    if value is None or value == "" or isinstance(value, float | bool):
        return "—"
    try:
        return format_cny(value if isinstance(value, Decimal) else Decimal(str(value)))
    except (ArithmeticError, ValueError, ValidationFailed):
        return "—"


def localised(chinese: str, english: str) -> str:
    return english if english and (get_language() or "").startswith("en") else chinese


@register.filter
def cat_name(category: Any) -> str:
    return localised(category.name, category.name_en)


@register.filter
def spec_label(spec: Any) -> str:
    return localised(spec.label, spec.label_en)


@register.simple_tag
def query_with(params: QueryDict, **changes: Any) -> str:
    """The current query string with some parameters replaced (a value of None removes it)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    if "page" not in changes:
        query.pop("page", None)
    return query.urlencode()
