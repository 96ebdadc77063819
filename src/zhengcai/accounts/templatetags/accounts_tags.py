"""Template helpers for the header's organisation switcher."""

from __future__ import annotations

from typing import Any

from django import template

from zhengcai.accounts.models import Membership, User
from zhengcai.accounts.selectors import memberships_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def my_memberships(context: dict[str, Any]) -> list[Membership]:
    """The current user's active memberships (empty for anonymous visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return []
    return memberships_for_user(user)


@register.filter
def with_class(field: Any, css: str) -> Any:
    """Render a bound field's widget with extra CSS classes (Bootstrap's form-control ...)."""
    classes = css
    if getattr(field, "errors", None):
        classes += " is-invalid"
    return field.as_widget(attrs={"class": classes})
