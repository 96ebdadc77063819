"""Role dashboards: each one is a list of small widgets, each widget one call to a selector.

A widget function takes the ``Viewer`` (who is looking, and when) and returns a ``Widget``
(a template and its context) or ``None`` when it has nothing to show that viewer. Widgets
read other apps only through their selectors, which carry visibility, so a dashboard never
shows more than the pages it links to. Only real platform data appears here: a domain that
does not exist yet (budgets, mall, tendering) has no widget.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts import selectors as accounts_selectors
from zhengcai.audit import selectors as audit_selectors
from zhengcai.budgets import selectors as budgets_selectors
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import DayKind
from zhengcai.core.errors import DomainError
from zhengcai.core.roles import OrgType, Role
from zhengcai.notify import selectors as notify_selectors
from zhengcai.orders.widgets import mall_orders_widget as orders_widget_data
from zhengcai.plans import selectors as plans_selectors
from zhengcai.rules import permissions as rules_permissions
from zhengcai.rules import selectors as rules_selectors
from zhengcai.rules.display import format_value
from zhengcai.rules.values import RuleValues


@dataclass(frozen=True)
class Viewer:
    actor: Actor
    user: AbstractBaseUser | AnonymousUser
    today: dt.date


@dataclass(frozen=True)
class Widget:
    key: str
    title: str | Promise
    icon: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    link_label: str | Promise = ""
    wide: bool = False


@dataclass(frozen=True)
class Dashboard:
    role: str
    title: str | Promise
    lead: str | Promise
    widgets: list[Widget]


WidgetFn = Callable[[Viewer], Widget | None]


def url_or_none(name: str, *args: Any) -> str | None:
    """The URL of a named page, or None while the app that owns it does not provide it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- widgets every role gets -------------------------------------------------------------


def organisation_widget(viewer: Viewer) -> Widget | None:
    """The organisation the viewer acts for, their role in it, and their other memberships."""
    actor = viewer.actor
    if actor.organisation_id is None:
        return None
    memberships = accounts_selectors.memberships_for_user(viewer.user)  # type: ignore[arg-type]
    return Widget(
        key="organisation",
        title=_("My organisation"),
        icon="building",
        template="web/widgets/organisation.html",
        context={
            "organisation_name": actor.organisation_name,
            "org_type": OrgType(actor.org_type).label if actor.org_type in OrgType.values else actor.org_type,
            "role": Role(actor.role).label if actor.role in Role.values else actor.role,
            "region_code": actor.region_code,
            "is_admin": actor.is_org_admin,
            "memberships": [
                {
                    "organisation": m.organisation.name,
                    "role": m.get_role_display(),
                    "region": m.organisation.region.name,
                    "current": m.pk == actor.membership_id,
                }
                for m in memberships
            ],
        },
        link=url_or_none("accounts:profile"),
        link_label=_("My account"),
    )


def notifications_widget(viewer: Viewer) -> Widget | None:
    """How many notifications are unread, and the newest few of them."""
    actor = viewer.actor
    unread = notify_selectors.notification_unread_count(actor=actor)
    latest = [
        {
            "title": n.title,
            "created_at": n.created_at,
            # Opening marks it read and follows its link (a POST: it changes state).
            "open_url": url_or_none("notify:open", n.pk),
        }
        for n in notify_selectors.notification_list(actor=actor, unread_only=True)[:5]
    ]
    return Widget(
        key="notifications",
        title=_("Unread notifications"),
        icon="bell",
        template="web/widgets/notifications.html",
        context={"unread": unread, "latest": latest},
        link=url_or_none("notify:list"),
        link_label=_("All notifications"),
    )


def members_widget(viewer: Viewer) -> Widget | None:
    """For organisation administrators: the people in their organisation."""
    actor = viewer.actor
    if not actor.is_org_admin or actor.organisation_id is None:
        return None
    members = accounts_selectors.organisation_members(actor, actor.organisation_id)
    return Widget(
        key="members",
        title=_("Members of my organisation"),
        icon="people",
        template="web/widgets/members.html",
        context={
            "count": len(members),
            "members": [
                {
                    "name": str(m.user),
                    "username": m.user.get_username(),
                    "role": m.get_role_display(),
                    "admin": m.is_admin,
                }
                for m in members[:8]
            ],
        },
        link=url_or_none("accounts:organisation_detail", actor.organisation_id)
        or url_or_none("accounts:organisations"),
        link_label=_("Manage members"),
    )


# --- regulator and operator widgets -------------------------------------------------------


def organisation_counts_widget(viewer: Viewer) -> Widget | None:
    """Organisations visible to the viewer (a regulator: its region subtree), by type."""
    actor = viewer.actor
    if not actor.has_role(Role.REGULATOR, Role.OPERATOR):
        return None
    types = accounts_selectors.organisations_visible(actor, active=True).values_list("org_type", flat=True)
    counts = Counter(types)
    rows = [{"type": choice.label, "code": choice.value, "count": counts.get(choice.value, 0)} for choice in OrgType]
    return Widget(
        key="organisation_counts",
        title=_("Organisations in my region") if actor.has_role(Role.REGULATOR) else _("Organisations on the platform"),
        icon="buildings",
        template="web/widgets/organisation_counts.html",
        context={"rows": rows, "total": sum(counts.values())},
        link=url_or_none("accounts:organisations"),
        link_label=_("All organisations"),
    )


# --- rules and calendar --------------------------------------------------------------------

# The numbers of the rule set in force that each role works with most.
KEY_RULES: dict[str, tuple[str, ...]] = {
    Role.PURCHASER: (
        "decentralised_limit_goods_services",
        "open_tender_threshold_goods_services",
        "mall_direct_purchase_limit",
        "bid_bond_allowed",
        "sme_small_micro_deduction",
        "winner_confirmation_due",
        "contract_signing_due",
        "payment_due",
    ),
    Role.AGENT: (
        "open_tender_threshold_goods_services",
        "open_tender_bidding_period",
        "tender_notice_period",
        "tender_documents_available",
        "tender_committee_min",
        "evaluation_report_due",
        "award_notice_due",
        "challenge_answer_due",
    ),
    Role.SUPPLIER: (
        "bid_bond_allowed",
        "sme_small_micro_deduction",
        "sme_consortium_deduction",
        "performance_bond_max_percent",
        "challenge_filing_window",
        "sme_payment_due",
        "listing_price_rule",
    ),
    Role.REGULATOR: (
        "decentralised_limit_goods_services",
        "open_tender_threshold_goods_services",
        "mall_direct_purchase_limit",
        "bid_bond_allowed",
        "complaint_acceptance_review",
        "complaint_decision_due",
        "inspection_sampling_percent",
    ),
    Role.BANKER: (
        "payment_due",
        "sme_payment_due",
        "sme_payment_due_max_agreed",
        "performance_bond_max_percent",
        "contract_signing_due",
    ),
}

# Periods a process started today would run through, shown as dates on the calendar.
PERIODS_FROM_TODAY: dict[str, tuple[str, ...]] = {
    Role.PURCHASER: ("intention_notice_before_start", "negotiation_response_period", "winner_confirmation_due"),
    Role.AGENT: (
        "tender_notice_period",
        "tender_documents_available",
        "open_tender_bidding_period",
        "negotiation_response_period",
        "award_notice_due",
    ),
    Role.SUPPLIER: ("challenge_filing_window", "challenge_answer_due"),
    Role.REGULATOR: ("complaint_acceptance_review", "complaint_decision_due"),
    Role.BANKER: ("payment_due", "sme_payment_due"),
    Role.OPERATOR: ("tender_notice_period", "open_tender_bidding_period"),
}

UPCOMING_DAYS = 60


def _ruleset_in_force(viewer: Viewer) -> Any:
    """The rule-set version in force today for the viewer's region, or None if there is none."""
    region = None
    if viewer.actor.region_code:
        try:
            region = rules_selectors.region_by_code(viewer.actor.region_code)
        except DomainError:
            region = None
    try:
        return rules_selectors.ruleset_for(region=region, on=viewer.today)
    except DomainError:
        return None


def ruleset_widget(viewer: Viewer) -> Widget | None:
    """The rule set in force for the viewer's region today, with the numbers their role needs."""
    names = KEY_RULES.get(viewer.actor.role)
    if not names:
        return None
    rule_set = _ruleset_in_force(viewer)
    context: dict[str, Any] = {"rule_set": rule_set, "rows": []}
    if rule_set is not None:
        values = rule_set.rule_values
        for name in names:
            meta = RuleValues.meta(name)
            context["rows"].append(
                {"label": meta.label, "value": format_value(getattr(values, name), meta.unit), "source": meta.source}
            )
    link = None
    if rules_permissions.rulesets.can(viewer.actor, rules_permissions.VIEW):
        link = (url_or_none("rules:ruleset_detail", rule_set.pk) if rule_set is not None else None) or url_or_none(
            "rules:rulesets"
        )
    return Widget(
        key="ruleset",
        title=_("Rules in force"),
        icon="journal-text",
        template="web/widgets/ruleset.html",
        context=context,
        link=link,
        link_label=_("Rule-set details"),
    )


def calendar_widget(viewer: Viewer) -> Widget | None:
    """Today on the working-day calendar, the coming holidays and make-up days, and the dates
    on which the statutory periods of the rule set in force would end if started today."""
    calendar = rules_selectors.working_calendar()
    today = viewer.today
    info = calendar.day_info(today)
    special: list[dict[str, Any]] = []
    for offset in range(1, UPCOMING_DAYS + 1):
        day_info = calendar.day_info(today + dt.timedelta(days=offset))
        if day_info.kind in {DayKind.WORKDAY, DayKind.WEEKEND}:
            continue
        previous = special[-1] if special else None
        if (
            previous is not None
            and previous["kind"] == day_info.kind
            and previous["name"] == day_info.holiday_name
            and previous["end"] + dt.timedelta(days=1) == day_info.day
        ):
            previous["end"] = day_info.day
            previous["days"] += 1
            continue
        special.append(
            {
                "start": day_info.day,
                "end": day_info.day,
                "days": 1,
                "kind": day_info.kind,
                "label": day_info.kind.label,
                "name": day_info.holiday_name,
                "working": day_info.is_working,
            }
        )
    periods = []
    rule_set = _ruleset_in_force(viewer)
    if rule_set is not None:
        values = rule_set.rule_values
        for name in PERIODS_FROM_TODAY.get(viewer.actor.role, ()):
            value = getattr(values, name)
            periods.append(
                {
                    "label": RuleValues.meta(name).label,
                    "period": str(value),
                    "ends": calendar.period_end(today, value.period),
                }
            )
    return Widget(
        key="calendar",
        title=_("Working-day calendar"),
        icon="calendar3",
        template="web/widgets/calendar.html",
        context={
            "today": today,
            "today_label": info.kind.label,
            "today_working": info.is_working,
            "today_holiday": info.holiday_name,
            "next_working_day": calendar.next_working_day(today),
            "special": special,
            "upcoming_days": UPCOMING_DAYS,
            "periods": periods,
            # Years the window reaches whose official holidays the package does not know yet.
            "unknown_years": [
                year
                for year in range(today.year, (today + dt.timedelta(days=UPCOMING_DAYS)).year + 1)
                if not calendar.has_official_data(year)
            ],
        },
        link=url_or_none("rules:calendar"),
        link_label=_("Full calendar"),
    )


def ruleset_versions_widget(viewer: Viewer) -> Widget | None:
    """For operators: every rule-set version, newest first, and which ones are in force."""
    actor = viewer.actor
    if not actor.has_role(Role.OPERATOR):
        return None
    versions = list(rules_selectors.rulesets_visible(actor))
    in_force = rules_selectors.rulesets_in_force(actor=actor, on=viewer.today)
    rows = [
        {
            "pk": rs.pk,
            "label": rs.version_label,
            "region": rs.region.name if rs.region is not None else _("National"),
            "effective_from": rs.effective_from,
            "in_force": rs.pk in in_force,
            "future": rs.effective_from > viewer.today,
            "url": url_or_none("rules:ruleset_detail", rs.pk),
        }
        for rs in versions
    ]
    return Widget(
        key="ruleset_versions",
        title=_("Rule-set versions"),
        icon="journal-bookmark",
        template="web/widgets/ruleset_versions.html",
        context={"rows": rows[:10], "count": len(rows), "in_force": len(in_force)},
        link=url_or_none("rules:rulesets"),
        link_label=_("Manage rule sets"),
    )


def calendar_overrides_widget(viewer: Viewer) -> Widget | None:
    """For operators: the working-day overrides from this year on (the State Council's
    announcements the holiday package does not know yet)."""
    actor = viewer.actor
    if not actor.has_role(Role.OPERATOR):
        return None
    overrides = rules_selectors.calendar_overrides(actor=actor).filter(day__year__gte=viewer.today.year)
    calendar = rules_selectors.working_calendar()
    years = range(viewer.today.year, viewer.today.year + 2)
    return Widget(
        key="calendar_overrides",
        title=_("Calendar overrides"),
        icon="calendar2-week",
        template="web/widgets/calendar_overrides.html",
        context={
            "rows": list(overrides[:10]),
            "count": overrides.count(),
            "coverage": [{"year": y, "official": calendar.has_official_data(y)} for y in years],
        },
        link=url_or_none("rules:calendar"),
        link_label=_("Edit the calendar"),
    )


# --- audit trail --------------------------------------------------------------------------


def audit_head_widget(viewer: Viewer) -> Widget | None:
    """The head of the tamper-evident audit trail and the latest published daily hash."""
    if not viewer.actor.has_role(Role.REGULATOR, Role.OPERATOR):
        return None
    head = audit_selectors.current_head()
    anchor = audit_selectors.published_heads().first()
    return Widget(
        key="audit_head",
        title=_("Audit chain head"),
        icon="link-45deg",
        template="web/widgets/audit_head.html",
        context={"head": head, "anchor": anchor},
        link=url_or_none("audit:verify")
        if viewer.actor.has_role(Role.REGULATOR)
        else url_or_none("audit:public_heads"),
        link_label=_("Verify the chain") if viewer.actor.has_role(Role.REGULATOR) else _("Published hashes"),
    )


def audit_events_widget(viewer: Viewer) -> Widget | None:
    """For regulators: the latest audit events in their region."""
    if not viewer.actor.has_role(Role.REGULATOR):
        return None
    try:
        events = list(audit_selectors.events_visible(actor=viewer.actor).order_by("-seq")[:8])
    except DomainError:
        return None
    rows = [
        {
            "seq": e.seq,
            "occurred_at": e.occurred_at,
            "action": e.action,
            "actor": e.actor_label,
            "url": url_or_none("audit:event", e.seq),
        }
        for e in events
    ]
    return Widget(
        key="audit_events",
        title=_("Recent activity in my region"),
        icon="activity",
        template="web/widgets/audit_events.html",
        context={"rows": rows},
        link=url_or_none("audit:events"),
        link_label=_("Audit trail"),
        wide=True,
    )


def budget_widget(viewer: Viewer) -> Widget | None:
    """For purchasers and regulators: this year's budget, executed share and savings."""
    if not viewer.actor.has_role(Role.PURCHASER, Role.REGULATOR):
        return None
    total, _units = budgets_selectors.budget_figures(actor=viewer.actor, fiscal_year=viewer.today.year)
    return Widget(
        key="budget",
        title=_("Budget %(year)s") % {"year": viewer.today.year},
        icon="wallet2",
        template="budgets/_dashboard_budget.html",
        context={
            "figures": total,
            "bar": budgets_selectors.usage_bar(total),
            # A regulator: the same figures per sub-region (cities of a province, counties of a city).
            "regions": budgets_selectors.budget_figures_by_region(actor=viewer.actor, fiscal_year=viewer.today.year),
        },
        link=url_or_none("budgets:lines"),
        link_label=_("Budget lines"),
    )


def payments_due_widget(viewer: Viewer) -> Widget | None:
    """For purchasers and regulators: overdue and soon-due payments (30 days after acceptance)."""
    if not viewer.actor.has_role(Role.PURCHASER, Role.REGULATOR):
        return None
    rows = budgets_selectors.payments_overdue(actor=viewer.actor, today=viewer.today)
    rows += budgets_selectors.payments_due_soon(actor=viewer.actor, today=viewer.today)
    return Widget(
        key="payments_due",
        title=_("Payments overdue or due soon"),
        icon="alarm",
        template="budgets/_dashboard_payments.html",
        context={"rows": rows[:8]},
        link=url_or_none("budgets:payments"),
        link_label=_("Payments"),
        wide=True,
    )


def plans_widget(viewer: Viewer) -> Widget | None:
    """For purchasers and regulators: plans by status, pending method changes, cycle time and savings."""
    if not viewer.actor.has_role(Role.PURCHASER, Role.REGULATOR):
        return None
    total, units = plans_selectors.plan_figures(actor=viewer.actor, fiscal_year=viewer.today.year)
    return Widget(
        key="plans",
        title=_("Procurement plans %(year)s") % {"year": viewer.today.year},
        icon="clipboard-check",
        template="plans/_dashboard.html",
        context={
            "counts": (counts := plans_selectors.plan_status_counts(actor=viewer.actor)),
            "in_force": counts.get("filed", 0) + counts.get("approved", 0),
            "pending": plans_selectors.pending_changes_count(actor=viewer.actor),
            "figures": total,
            "units": units[:6] if viewer.actor.has_role(Role.REGULATOR) else [],
            "regions": plans_selectors.plan_figures_by_region(actor=viewer.actor, fiscal_year=viewer.today.year),
        },
        link=url_or_none("plans:changes" if viewer.actor.has_role(Role.REGULATOR) else "plans:list"),
        link_label=_("Method changes") if viewer.actor.has_role(Role.REGULATOR) else _("My plans"),
        wide=True,
    )


def mall_orders_widget(viewer: Viewer) -> Widget | None:
    """For purchasers and regulators: e-mall orders and the median plan-to-acceptance time."""
    data = orders_widget_data(actor=viewer.actor)
    return Widget(**data) if data else None


# --- the dashboards -----------------------------------------------------------------------

COMMON: tuple[WidgetFn, ...] = (organisation_widget, notifications_widget, members_widget)
WORK: tuple[WidgetFn, ...] = (*COMMON, ruleset_widget, calendar_widget)

DASHBOARDS: dict[str, tuple[str | Promise, str | Promise, tuple[WidgetFn, ...]]] = {
    Role.PURCHASER: (
        _("Purchaser workbench"),
        _("Your budget unit, the procurement rules in force for it and the working-day calendar."),
        (*WORK, budget_widget, plans_widget, mall_orders_widget, payments_due_widget),
    ),
    Role.AGENT: (
        _("Procurement agency workbench"),
        _("Your agency, the procurement rules in force and the statutory periods on the calendar."),
        WORK,
    ),
    Role.SUPPLIER: (
        _("Supplier workbench"),
        _("Your company, the rules suppliers are held to and the working-day calendar."),
        WORK,
    ),
    Role.REGULATOR: (
        _("Supervision dashboard"),
        _("The organisations, rules and audit trail of your region."),
        (
            *WORK,
            organisation_counts_widget,
            budget_widget,
            plans_widget,
            mall_orders_widget,
            payments_due_widget,
            audit_head_widget,
            audit_events_widget,
        ),
    ),
    Role.BANKER: (
        _("Bank workbench"),
        _("Your bank, the payment rules in force and the working-day calendar."),
        WORK,
    ),
    Role.OPERATOR: (
        _("Platform operations"),
        _("Rule-set versions, calendar overrides and the organisations on the platform."),
        (
            *COMMON,
            ruleset_versions_widget,
            calendar_overrides_widget,
            calendar_widget,
            organisation_counts_widget,
            audit_head_widget,
        ),
    ),
}

NO_ORGANISATION: tuple[WidgetFn, ...] = (notifications_widget, calendar_widget)


def dashboard_for(actor: Actor, user: AbstractBaseUser | AnonymousUser) -> Dashboard:
    """The dashboard for the role the actor currently acts in."""
    viewer = Viewer(actor=actor, user=user, today=clock.today())
    if actor.role in DASHBOARDS:
        title, lead, widget_fns = DASHBOARDS[actor.role]
        role = actor.role
    else:
        title = _("Welcome")
        lead = _(
            "Your account is not a member of any organisation yet. "
            "Ask your organisation's administrator or the platform operator to add you."
        )
        widget_fns = NO_ORGANISATION
        role = "none"
    widgets = [w for fn in widget_fns if (w := fn(viewer)) is not None]
    return Dashboard(role=role, title=title, lead=lead, widgets=widgets)
