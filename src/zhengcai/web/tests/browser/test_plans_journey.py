"""Plans in real Chromium: a plan the rules send to the e-mall, and a method change the regulator approves."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from zhengcai.budgets.models import BudgetLine
from zhengcai.plans.methods import Channel
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import ChangeStatus, PlanStatus
from zhengcai.web.tests.browser.test_journeys import demo_user, log_in

pytestmark = pytest.mark.browser


def zh(label: object) -> str:
    with translation.override("zh-hans"):
        return str(label)


def fill_plan(page: Page, *, title: str, code: str, qty: str, price: str, line_id: int, amount: str) -> None:
    page.goto(reverse("plans:create"))
    page.fill("#title", title)
    page.select_option("#organisation_form", "centralised")
    page.fill("#required_by", "2099-12-31")
    page.fill("input[name=items-0-catalogue_code]", code)
    page.fill("input[name=items-0-description]", title)
    page.fill("input[name=items-0-quantity]", qty)
    page.fill("input[name=items-0-unit]", "台")
    page.fill("input[name=items-0-unit_price]", price)
    page.select_option("select[name=fundings-0-line_id]", str(line_id))
    page.fill("input[name=fundings-0-amount]", amount)


def line_id(unit: str, project_code: str) -> int:
    return BudgetLine.objects.get(budget_unit__name=unit, project_code=project_code, source_system="demo").pk


def test_mall_plan_is_filed_at_once(page: Page, demo_data) -> None:  # type: ignore[no-untyped-def]
    user = demo_user("purchaser")
    log_in(page, user.username, user.password)
    fill_plan(
        page,
        title="扫描仪",
        code="A02021118",
        qty="2",
        price="3000",
        line_id=line_id(user.organisation, "JY-01"),
        amount="6000",
    )
    # The decision is recomputed live as the form changes.
    expect(page.get_by_test_id("decision-channel")).to_have_text(zh(Channel.E_MALL.label))
    # More rows than the page first shows: htmx appends them, the live decision keeps working.
    page.get_by_test_id("add-item").click()
    expect(page.get_by_test_id("item-row")).to_have_count(6)
    page.get_by_test_id("add-funding").click()
    expect(page.get_by_test_id("funding-row")).to_have_count(4)
    page.fill("input[name=items-5-catalogue_code]", "A02021118")
    page.fill("input[name=items-5-description]", "扫描仪（备用）")
    page.fill("input[name=items-5-quantity]", "1")
    page.fill("input[name=items-5-unit]", "台")
    page.fill("input[name=items-5-unit_price]", "3000")
    page.fill("input[name=fundings-0-amount]", "9000")
    expect(page.get_by_test_id("decision-channel")).to_have_text(zh(Channel.E_MALL.label))
    page.get_by_test_id("plan-save").click()
    page.get_by_test_id("plan-file").click()
    expect(page.get_by_test_id("plan-status")).to_have_text(zh(PlanStatus.FILED.label))
    assert ProcurementPlan.objects.get(title="扫描仪").status == PlanStatus.FILED
    assert ProcurementPlan.objects.get(title="扫描仪").items.count() == 2
    assert not page.js_errors  # type: ignore[attr-defined]


def test_method_change_approved_by_regulator(page: Page, demo_data) -> None:  # type: ignore[no-untyped-def]
    buyer = next(
        u for u in __import__("zhengcai.web.demo", fromlist=["DEMO_USERS"]).DEMO_USERS if u.username == "hospital"
    )
    log_in(page, buyer.username, buyer.password)
    fill_plan(
        page,
        title="病理科检测仪器",
        code="A02100000",
        qty="1",
        price="1200000",
        line_id=line_id(buyer.organisation, "YY-01"),
        amount="1200000",
    )
    page.select_option("#chosen_method", "invited_tender")
    expect(page.get_by_test_id("decision-needs-change")).to_be_visible()
    page.get_by_test_id("plan-save").click()
    page.fill("#reasons", "仪器技术要求特殊，只能从有限范围的供应商处采购，申请邀请招标。")
    page.get_by_test_id("plan-file").click()
    expect(page.get_by_test_id("plan-status")).to_have_text(zh(PlanStatus.CHANGE_REQUESTED.label))
    plan = ProcurementPlan.objects.get(title="病理科检测仪器")

    page.context.clear_cookies()
    regulator = demo_user("regulator")
    log_in(page, regulator.username, regulator.password, regulator.totp_secret)
    page.goto(reverse("plans:changes"))
    page.get_by_role("link", name="病理科检测仪器").click()
    page.fill("#comments", "理由充分，同意。")
    page.get_by_test_id("change-approve").click()
    expect(page.get_by_test_id("changes-table")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.change_requests.get().status == ChangeStatus.APPROVED
