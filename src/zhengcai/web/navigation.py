"""Role-aware navigation: which entries each role sees in the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengcai.core.actor import Actor
from zhengcai.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str] | None = None  # None: every logged-in user

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


NAV: tuple[NavItem, ...] = (
    NavItem(_("Dashboard"), "web:home", "speedometer2"),
    NavItem(_("Audit trail"), "audit:events", "shield-check", frozenset({Role.REGULATOR})),
    NavItem(_("Rule sets"), "rules:rulesets", "journal-text", frozenset({Role.OPERATOR, Role.REGULATOR})),
    NavItem(_("Calendar"), "rules:calendar", "calendar3", frozenset({Role.OPERATOR})),
    NavItem(_("API tokens"), "api_tokens:list", "key", None),
)


def navigation_for(actor: Actor) -> list[dict[str, object]]:
    if actor.user_id is None:
        return []
    items = []
    for item in NAV:
        if item.roles is not None and actor.role not in item.roles:
            continue
        url = item.url()
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon})
    return items
