"""Role dashboards render real platform data, for every role, on both databases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, RegionFactory, UserFactory
from zhengcai.audit.services import audit_record
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType, Role
from zhengcai.notify.services import notification_send
from zhengcai.notify.tasks import outbox_sweep
from zhengcai.rules import selectors as rules_selectors
from zhengcai.rules.models import RegionLevel
from zhengcai.rules.services import calendar_override_set, rules_seed_defaults
from zhengcai.web.dashboards import DASHBOARDS, dashboard_for
from zhengcai.web.tests.conftest import ORG_TYPE_FOR_ROLE, log_in

pytestmark = pytest.mark.django_db

OPERATOR_SYSTEM = Actor(
    user_id=None, username="test-seed", role=Role.OPERATOR, org_type=OrgType.OPERATOR, is_system=True
)


@pytest.fixture
def platform(frozen_clock):
    """Regions 浙江省 > 衢州市 > 柯城区 and 杭州市, the shipped rule sets, one calendar override."""
    province = RegionFactory(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    quzhou = RegionFactory(code="330800", name="衢州市", level=RegionLevel.CITY, parent=province)
    RegionFactory(code="330802", name="柯城区", level=RegionLevel.COUNTY, parent=quzhou)
    RegionFactory(code="330100", name="杭州市", level=RegionLevel.CITY, parent=province)
    rules_seed_defaults(actor=OPERATOR_SYSTEM)
    calendar_override_set(actor=OPERATOR_SYSTEM, day=dt.date(2026, 10, 10), is_working_day=False, note="测试调整")
    return frozen_clock


def member(role: str, region_code: str = "330802", *, is_admin: bool = False, **user):
    org = OrganisationFactory(org_type=ORG_TYPE_FOR_ROLE[role], region=RegionFactory(code=region_code))
    return MembershipFactory(user=UserFactory(**user), organisation=org, role=role, is_admin=is_admin)


def page(client, membership) -> str:
    log_in(client, membership.user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def title_of(html: str) -> str:
    match = re.search(r'<h1[^>]*data-testid="dashboard-title"[^>]*>([^<]*)</h1>', html)
    assert match, "every dashboard has data-testid=dashboard-title on its <h1>"
    return match.group(1).strip()


EXPECTED_WIDGETS = {
    Role.PURCHASER: {
        "organisation",
        "notifications",
        "ruleset",
        "calendar",
        "plans",
        "budget",
        "payments_due",
        "mall_orders",
    },
    Role.AGENT: {"organisation", "notifications", "ruleset", "calendar"},
    Role.SUPPLIER: {"organisation", "notifications", "ruleset", "calendar"},
    Role.BANKER: {"organisation", "notifications", "ruleset", "calendar"},
    Role.REGULATOR: {
        "organisation",
        "notifications",
        "ruleset",
        "calendar",
        "organisation_counts",
        "plans",
        "budget",
        "payments_due",
        "mall_orders",
        "audit_head",
        "audit_events",
    },
    Role.OPERATOR: {
        "organisation",
        "notifications",
        "ruleset_versions",
        "calendar_overrides",
        "calendar",
        "organisation_counts",
        "audit_head",
    },
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_its_dashboard(client, platform, role):
    html = page(client, member(role))
    with translation.override("zh-hans"):
        assert title_of(html) == str(DASHBOARDS[role][0])
    widgets = set(re.findall(r'data-testid="widget-([a-z_]+)"', html))
    assert widgets == EXPECTED_WIDGETS[role]


def test_dashboard_titles_are_translated():
    for role, (title, lead, _widgets) in DASHBOARDS.items():
        with translation.override("zh-hans"):
            chinese = (str(title), str(lead))
        with translation.override("en"):
            english = (str(title), str(lead))
        assert chinese != english, role


def test_purchaser_sees_the_rule_set_in_force_for_its_region(client, platform):
    m = member(Role.PURCHASER)
    in_force = rules_selectors.ruleset_for(region=m.organisation.region, on=dt.date(2026, 3, 2))
    html = page(client, m)
    assert in_force.version_label in html
    values = in_force.rule_values
    # The thresholds a purchaser needs, formatted as money.
    from zhengcai.core.money import format_cny

    assert format_cny(values.decentralised_limit_goods_services) in html
    assert format_cny(values.open_tender_threshold_goods_services) in html


def test_calendar_widget_shows_today_and_coming_holidays(client, platform):
    html = page(client, member(Role.AGENT))
    assert "2026-03-02" in html
    calendar = rules_selectors.working_calendar()
    assert "2026-03-03" in html  # next working day after Monday 2 March 2026
    # The next statutory holiday within 60 days (Qingming, early April 2026) is listed.
    qingming = next(
        d
        for d in (dt.date(2026, 3, 3) + dt.timedelta(days=i) for i in range(60))
        if not calendar.is_working_day(d) and d.weekday() < 5
    )
    assert qingming.strftime("%m-%d") in html
    # Periods started today end on dates computed by the calendar.
    values = rules_selectors.ruleset_for(region=None, on=dt.date(2026, 3, 2)).rule_values
    tender_notice_end = calendar.period_end(dt.date(2026, 3, 2), values.tender_notice_period.period)
    assert tender_notice_end.isoformat() in html


def test_notifications_widget_counts_unread(client, platform):
    m = member(Role.SUPPLIER)
    with transaction.atomic():
        notification_send(actor=OPERATOR_SYSTEM, recipients=[m.user], title="中标通知书已发出", key="test:1")
    outbox_sweep()
    html = page(client, m)
    assert re.search(r'data-testid="unread-count">\s*1\s*<', html)
    assert "中标通知书已发出" in html


def test_regulator_sees_its_region_only(client, platform):
    regulator = member(Role.REGULATOR, "330800")
    member(Role.SUPPLIER, "330802")
    member(Role.PURCHASER, "330802")
    member(Role.PURCHASER, "330100")  # Hangzhou: outside Quzhou
    with transaction.atomic():
        audit_record(actor=Actor(user_id=1, username="kecheng", region_code="330802"), action="test.quzhou.event")
        audit_record(actor=Actor(user_id=2, username="hangzhou", region_code="330100"), action="test.hangzhou.event")
    html = page(client, regulator)
    assert "test.quzhou.event" in html
    assert "test.hangzhou.event" not in html
    counts = dict(re.findall(r'data-org-type="([a-z_]+)"><th[^>]*>[^<]*</th><td[^>]*>(\d+)</td>', html))
    # The regulator's own organisation, one supplier and one budget unit in Quzhou; not Hangzhou's.
    assert counts["budget_unit"] == "1"
    assert counts["supplier"] == "1"
    assert counts["regulator"] == "1"


def test_operator_sees_versions_and_overrides(client, platform):
    html = page(client, member(Role.OPERATOR, "330000"))
    for rs in rules_selectors.rulesets_visible(OPERATOR_SYSTEM)[:3]:
        assert rs.version_label in html
    assert "2026-10-10" in html
    assert "测试调整" in html


def test_audit_head_shows_the_live_head(client, platform):
    from zhengcai.audit.selectors import current_head

    html = page(client, member(Role.OPERATOR, "330000"))
    head = current_head()
    assert head.seq > 0  # the seeds were audited
    assert head.hash in html


def test_members_widget_only_for_organisation_admins(client, platform):
    admin = member(Role.PURCHASER, is_admin=True)
    MembershipFactory(organisation=admin.organisation, user=UserFactory(display_name="王同事"), role=Role.PURCHASER)
    html = page(client, admin)
    assert 'data-testid="widget-members"' in html
    assert "王同事" in html
    client.logout()
    assert 'data-testid="widget-members"' not in page(client, member(Role.PURCHASER))


def test_person_with_two_memberships_sees_both(client, platform):
    m = member(Role.PURCHASER)
    other = OrganisationFactory(org_type=OrgType.SUPPLIER, name="第二家单位", region=m.organisation.region)
    MembershipFactory(user=m.user, organisation=other, role=Role.SUPPLIER)
    html = page(client, m)
    assert "第二家单位" in html


def test_user_without_organisation_gets_a_welcome(client, platform):
    user = UserFactory()
    log_in(client, user)
    html = client.get(reverse("web:home")).content.decode()
    with translation.override("zh-hans"):
        assert title_of(html) == str(translation.gettext("Welcome"))
    assert 'data-testid="widget-calendar"' in html


def test_missing_rule_set_is_said_plainly(client, frozen_clock):
    # No rule set seeded at all: the widget says so instead of inventing numbers.
    html = page(client, member(Role.PURCHASER))
    assert 'data-testid="widget-ruleset"' in html
    assert 'data-testid="ruleset-in-force"' not in html


def test_dashboard_for_reads_only_through_selectors(platform):
    m = member(Role.BANKER)
    dashboard = dashboard_for(actor_from_membership(m.user, m), m.user)
    assert dashboard.role == Role.BANKER
    assert [w.key for w in dashboard.widgets] == ["organisation", "notifications", "ruleset", "calendar"]


def test_calendar_warns_about_years_without_official_holidays(client, platform):
    from zhengcai.core.calendar import WorkingCalendar

    platform.set(dt.datetime(2026, 12, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    html = page(client, member(Role.PURCHASER))
    if WorkingCalendar().has_official_data(2027):
        assert 'data-testid="holidays-unknown"' not in html
    else:
        assert 'data-testid="holidays-unknown"' in html
        assert "2027" in html


def test_links_lead_to_the_pages_the_viewer_may_open(client, platform):
    regulator = member(Role.REGULATOR, "330800")
    in_force = rules_selectors.ruleset_for(region=regulator.organisation.region, on=dt.date(2026, 3, 2))
    html = page(client, regulator)
    assert f'href="{reverse("rules:ruleset_detail", args=[in_force.pk])}"' in html
    assert f'href="{reverse("audit:events")}"' in html
    client.logout()
    # A purchaser may not open rule-set pages: the widget shows the numbers without the link.
    html = page(client, member(Role.PURCHASER))
    assert reverse("rules:rulesets") not in html.split('data-testid="widget-ruleset"')[1].split("</section>")[0]


def test_unread_notification_opens_through_a_post_form(client, platform):
    m = member(Role.BANKER)
    with transaction.atomic():
        notification_send(actor=OPERATOR_SYSTEM, recipients=[m.user], title="融资申请待处理", key="test:2")
    outbox_sweep()
    html = page(client, m)
    match = re.search(r'<form method="post" action="([^"]+)" class="d-inline">', html)
    assert match
    response = client.post(match.group(1))
    assert response.status_code == 302
    assert re.search(r'data-testid="unread-count">\s*0\s*<', client.get(reverse("web:home")).content.decode())
