"""Role-aware navigation: which entries each role sees in the header.

An entry names a URL from the cross-team contracts; an entry whose URL does not resolve
(the app that owns it is not installed or not built yet) is skipped, so the header never
links to a page that does not exist.
"""

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
    roles: frozenset[str] | None = None  # None: every logged-in user acting for an organisation
    org_admin: bool = False  # also shown to any organisation administrator, whatever the role
    admin_only: bool = False  # only organisation administrators

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def visible_to(self, actor: Actor) -> bool:
        if self.admin_only:
            return actor.is_org_admin
        if self.roles is None:
            return True
        return actor.role in self.roles or (self.org_admin and actor.is_org_admin)


NAV: tuple[NavItem, ...] = (
    NavItem(_("Dashboard"), "web:home", "speedometer2"),
    NavItem(
        _("Organisations"),
        "accounts:organisations",
        "buildings",
        frozenset({Role.OPERATOR, Role.REGULATOR}),
        org_admin=True,
    ),
    NavItem(_("Budgets"), "budgets:lines", "wallet2", frozenset({Role.PURCHASER, Role.REGULATOR})),
    NavItem(_("Audit trail"), "audit:events", "shield-check", frozenset({Role.REGULATOR})),
    NavItem(_("Rule sets"), "rules:rulesets", "journal-text", frozenset({Role.OPERATOR, Role.REGULATOR})),
    NavItem(_("Procurement plans"), "plans:list", "clipboard-check", frozenset({Role.PURCHASER, Role.REGULATOR})),
    NavItem(_("Method changes"), "plans:changes", "arrow-left-right", frozenset({Role.REGULATOR})),
    NavItem(_("Procurement intentions"), "plans:intentions", "megaphone"),
    NavItem(_("E-mall"), "shop:home", "shop"),
    NavItem(_("Cart"), "orders:cart", "cart3", frozenset({Role.PURCHASER})),
    NavItem(_("Orders"), "orders:list", "box-seam", frozenset({Role.PURCHASER, Role.SUPPLIER, Role.REGULATOR})),
    NavItem(_("Inquiries and auctions"), "sourcing:list", "hammer", frozenset({Role.PURCHASER, Role.SUPPLIER})),
    NavItem(_("My listings"), "listings:mine", "tags", frozenset({Role.SUPPLIER})),
    NavItem(_("Supplier profile"), "suppliers:profile", "person-vcard", frozenset({Role.SUPPLIER})),
    NavItem(_("Supplier onboarding"), "suppliers:review_queue", "person-check", frozenset({Role.OPERATOR})),
    NavItem(_("Listing review"), "listings:review_queue", "clipboard2-check", frozenset({Role.OPERATOR})),
    NavItem(_("Mall categories"), "listings:categories", "diagram-3", frozenset({Role.OPERATOR})),
    NavItem(_("Calendar"), "rules:calendar", "calendar3"),
    NavItem(_("API tokens"), "tokens:list", "key", admin_only=True),
)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    icon: str
    url_name: str

    @property
    def testid(self) -> str:
        return "nav-" + self.url_name.replace(":", "-").replace("_", "-")


def navigation_for(actor: Actor) -> list[NavLink]:
    """The header entries for ``actor``; nothing for anonymous visitors."""
    if actor.user_id is None:
        return []
    links = []
    for item in NAV:
        if not item.visible_to(actor):
            continue
        url = item.url()
        if url is None:
            continue
        links.append(NavLink(label=item.label, url=url, icon=item.icon, url_name=item.url_name))
    return links
