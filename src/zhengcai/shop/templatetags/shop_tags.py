"""Storefront template helpers: money, bilingual names, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from zhengcai.listings.templatetags.listings_tags import cny

register = template.Library()


# The listings app's filter: one formatting of money on both sides of the catalogue.
register.filter("cny", cny)


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
