"""Second QA pass on issue 3 (plans side): sub-fen amounts, the wizard following the decision,
deduplicated reasons, consistent methods, works thresholds, the funding list, messages, the
catalogue search, transition labels and per-region figures."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.tests.factories import OrganisationFactory, make_actor
from zhengcai.core.errors import DomainError, ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.plans import execution, selectors, services
from zhengcai.plans.decision import DecisionItem, decide, reason_text
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.methods import Method, OrganisationForm
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft, items
from zhengcai.plans.tests.test_decision import LIMITS
from zhengcai.plans.tests.test_views import client_for, wizard_post

pytestmark = pytest.mark.django_db

D = Decimal


def _flash(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _plan(purchaser: Any, line: int, rows: list[ItemInput], amount: str, *, form: str = "", method: str = "") -> Any:
    return services.plan_create(
        actor=purchaser,
        title="计划",
        fiscal_year=2026,
        organisation_form=form,
        required_by="2026-09-01",
        items=rows,
        fundings=[FundingInput(line, amount)],
        chosen_method=method,
    )


# -- 1: sub-fen amounts in plans (services, API) --------------------------------------------------


def test_plan_amounts_with_digits_past_the_fen_are_refused(purchaser: Any, lines: dict[str, int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _plan(purchaser, lines["big"], items(price="5000.005"), "50000.05")
    assert set(exc.value.fields) == {"items-0-unit_price"}
    with pytest.raises(ValidationFailed) as exc:
        _plan(purchaser, lines["big"], items(), "50000.001")
    assert set(exc.value.fields) == {"fundings-0-amount"}
    assert not ProcurementPlan.objects.exists()
    body = {
        "title": "计划",
        "fiscal_year": 2026,
        "required_by": "2026-09-01",
        "items": [
            {"catalogue_code": "A02010105", "description": "台式机", "quantity": 10, "unit": "台", "unit_price": 1.005}
        ],
        "fundings": [{"line_id": lines["big"], "amount": "10.05"}],
    }
    r = client_for(purchaser).post(
        "/api/v1/plans/", json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert r.status_code == 400, r.content
    assert "金额最多两位小数" in r.json()["error"]["fields"]["items-0-unit_price"][0]
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    execution.plan_start_execution(actor=purchaser, plan_id=plan.pk)
    with pytest.raises(ValidationFailed):
        execution.plan_release_savings(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount="1.001")


# -- 2: the wizard follows the decision --------------------------------------------------------------


def test_reasons_name_each_centralised_code_once() -> None:
    rows = [DecisionItem("A02010105", "goods", in_mall=True, is_centralised=True, amount=D("800000"))] * 3
    decision = decide(items=rows, total=D("2400000"), limits=LIMITS)
    texts = [reason_text(r) for r in decision.reasons]
    central = [t for t in texts if "A02010105" in t]
    assert len(central) == 1
    assert central[0].count("A02010105") == 1


def test_centralised_items_default_to_and_limit_the_form(purchaser: Any, lines: dict[str, int]) -> None:
    # 1,500,000 of desktops: above the limit, centralised catalogue -> 集中采购 only.
    plan = _plan(purchaser, lines["big"], items(qty="300"), "1500000")
    assert plan.organisation_form == OrganisationForm.CENTRALISED
    # In the e-mall any form is allowed, and the wizard keeps the one chosen.
    assert _plan(purchaser, lines["big"], items(qty="10"), "50000").organisation_form == "decentralised"
    client = client_for(purchaser)
    post = {**wizard_post(lines["big"], qty="300"), "organisation_form": "decentralised"}
    preview = client.post(reverse("plans:decision"), post, HTTP_HX_REQUEST="true").content.decode()
    select = preview.split('id="organisation_form"', 1)[1].split("</select>", 1)[0]
    assert 'hx-swap-oob="true"' in preview.split('id="organisation_form"', 1)[0].rsplit("<select", 1)[1] + select
    assert 'value="centralised" selected' in select
    assert 'value="decentralised"' not in select
    assert 'value="self"' not in select
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    select = page.split('id="organisation_form"', 1)[1].split("</select>", 1)[0]
    assert 'value="self"' not in select


def test_services_plan_is_never_offered_inquiry(purchaser: Any, lines: dict[str, int]) -> None:
    rows = [ItemInput("C16000000", "信息化运维服务", "1", "项", "1500000")]
    decision, _errors = selectors.decision_preview(actor=purchaser, items=rows)
    assert decision is not None
    assert Method.INQUIRY not in decision.allowed_methods
    texts = " ".join(reason_text(r) for r in decision.reasons)
    assert "inquiry (goods only)" not in texts
    assert "inquiry and open tender" not in texts
    post = {
        **wizard_post(lines["big"], code="C16000000", qty="1", price="1500000"),
        "organisation_form": "decentralised",
    }
    preview = client_for(purchaser).post(reverse("plans:decision"), post, HTTP_HX_REQUEST="true").content.decode()
    select = preview.split('id="chosen_method"', 1)[1].split("</select>", 1)[0]
    allowed, needs_change = select.split("<optgroup", 2)[1], select.split("<optgroup", 2)[2]
    assert 'value="inquiry"' not in allowed
    assert 'value="inquiry"' in needs_change
    assert 'value="competitive_consultation"' in allowed


# -- 9: works use the works tender threshold -------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "default", "inquiry"),
    [("1100000", Method.INQUIRY, True), ("2000000", Method.COMPETITIVE_CONSULTATION, False)],
)
def test_works_below_the_works_tender_threshold(purchaser: Any, total: str, default: str, inquiry: bool) -> None:
    rows = [ItemInput("B06000000", "办公楼装修", "1", "项", total)]
    decision, _errors = selectors.decision_preview(actor=purchaser, items=rows)
    assert decision is not None
    assert decision.default_method == default
    assert (Method.INQUIRY in decision.allowed_methods) is inquiry
    assert Method.OPEN_TENDER in decision.allowed_methods


def test_works_at_the_works_tender_threshold_is_open_tender(purchaser: Any) -> None:
    rows = [ItemInput("B06000000", "办公楼装修", "1", "项", "4000000")]
    decision, _errors = selectors.decision_preview(actor=purchaser, items=rows)
    assert decision is not None
    assert decision.allowed_methods == (Method.OPEN_TENDER,)
    text = " ".join(reason_text(r) for r in decision.reasons)
    assert "¥4,000,000.00" in text
    # Goods of the same amount use the goods and services threshold (2,000,000 by default).
    goods, _e = selectors.decision_preview(actor=purchaser, items=items(qty="1", price="3999999"))
    assert goods is not None
    assert goods.default_method == Method.OPEN_TENDER


# -- 6: the funding list hides empty lines but keeps a chosen one ----------------------------------


def test_funding_list_hides_lines_with_nothing_available(purchaser: Any, lines: dict[str, int]) -> None:
    keep = draft(purchaser, lines["small"], qty="2")  # a draft on the small line (nothing reserved yet)
    services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["small"], qty="20").pk)  # all 100,000
    client = client_for(purchaser)
    new = client.get(reverse("plans:create")).content.decode()
    assert f'<option value="{lines["small"]}"' not in new
    assert f'<option value="{lines["big"]}"' in new
    edit = client.get(reverse("plans:edit", args=[keep.pk])).content.decode()
    assert f'<option value="{lines["small"]}" selected' in edit
    assert "¥0.00" in edit


# -- 7: messages say what happened, with the plan number and formatted amounts ----------------------


def test_filing_messages_say_what_happened(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = draft(purchaser, lines["big"], form="centralised")
    r = client.post(reverse("plans:file", args=[plan.pk]))
    assert any(plan.number in m and "¥50,000.00" in m and "已备案并生效" in m for m in _flash(r)), _flash(r)
    single = draft(purchaser, lines["big"], method=Method.SINGLE_SOURCE, form="centralised")
    r = client.post(
        reverse("plans:file", args=[single.pk]),
        {"reasons": "只有一家供应商能够提供。", "statutory_ground": "only_supplier", "supplier_name": "某公司"},
    )
    single.refresh_from_db()
    assert single.status == PlanStatus.CHANGE_REQUESTED
    # Not "filed": it waits for the regulator's decision on the method change.
    assert any(single.number in m and "提交财政部门审批" in m and "已备案" not in m for m in _flash(r)), _flash(r)


def test_budget_errors_name_the_plan_number(purchaser: Any, lines: dict[str, int]) -> None:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    execution.plan_start_execution(actor=purchaser, plan_id=plan.pk)
    with pytest.raises(DomainError) as exc:
        execution.plan_commit(
            actor=purchaser,
            plan_id=plan.pk,
            line_id=lines["big"],
            amount=D("60000"),
            commitment_ref="contract:1",
            supplier_org_id=None,
            description="台式机",
        )
    assert plan.number in str(exc.value.message)
    assert "plan:" not in str(exc.value.message)
    assert "¥50,000.00" in str(exc.value.message)
    # The ledger pages show the plan's number, not the internal reference.
    page = client_for(purchaser).get(reverse("budgets:line_detail", args=[lines["big"]])).content.decode()
    assert plan.number in page
    assert f"plan:{plan.pk}<" not in page


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "备案此计划"), ("en", "file the plan")])
def test_transition_refusals_use_human_labels(purchaser: Any, lines: dict[str, int], language: str, words: str) -> None:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    r = client_for(purchaser).post(f"/api/v1/plans/{plan.pk}/file", {}, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 409, r.content
    message = r.json()["error"]["message"]
    assert words in message
    assert "“file”" not in message


def test_api_null_and_nan_are_clear(purchaser: Any, lines: dict[str, int]) -> None:
    body = (
        '{"title": null, "organisation_form": null, "fiscal_year": null, "required_by": null, '
        '"items": [{"catalogue_code": "A02010105", "description": "台式机", "quantity": NaN, "unit": "台", '
        '"unit_price": "1"}], "fundings": []}'
    )
    r = client_for(purchaser).post("/api/v1/plans/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    fields = r.json()["error"]["fields"]
    assert fields["title"] == ["This field is required."]
    assert fields["fiscal_year"] == ["This field is required."]
    assert "organisation_form" not in fields  # optional: null is "not given"
    assert "finite" in fields["items.0.quantity"][0]


# -- 8: the catalogue: search by name or code, the 2022 numbering explained --------------------------


@pytest.mark.parametrize("typed", ["台式计算机", "A02010105 台式计算机", "a02010105"])
def test_wizard_takes_the_name_or_the_search_option(purchaser: Any, lines: dict[str, int], typed: str) -> None:
    plan = _plan(purchaser, lines["big"], items(code=typed), "50000")
    assert plan.items.get().catalogue_item.code == "A02010105"


def test_catalogue_page_and_search(purchaser: Any) -> None:
    anonymous = Client()
    page = anonymous.get(reverse("catalogue:index")).content.decode()
    assert "财库〔2022〕31号" in page
    assert 'data-testid="catalogue-edition"' in page
    found = anonymous.get(reverse("catalogue:index"), {"q": "台式计算机"}).content.decode()
    assert "A02010105" in found
    assert "A02010104" not in found.split('data-testid="catalogue"')[1]
    by_code = anonymous.get(reverse("catalogue:index"), {"q": "A0201010"}).content.decode()
    assert "服务器" in by_code
    assert "台式计算机" in by_code
    options = client_for(purchaser).get(reverse("catalogue:search"), {"items-0-catalogue_code": "台式计算机"})
    assert "A02010105" in options.content.decode()
    options = client_for(purchaser).get(reverse("catalogue:search"), {"items-0-catalogue_code": "A02010105"})
    assert "台式计算机" in options.content.decode()


# -- 10: plan figures per sub-region --------------------------------------------------------------


def test_plan_figures_per_region(purchaser: Any, regulator: Any, regions: Any, lines: dict[str, int]) -> None:
    services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    province = make_actor(
        OrgType.REGULATOR,
        organisation=OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330000"], name="浙江省财政厅"),
    )
    rows = selectors.plan_figures_by_region(actor=province, fiscal_year=2026)
    assert [(r.label, r.plans, r.budget) for r in rows] == [("衢州市", 1, D("50000.00"))]
    rows = selectors.plan_figures_by_region(actor=regulator, fiscal_year=2026)
    assert [(r.label, r.plans) for r in rows] == [("柯城区", 1)]
    assert selectors.plan_figures_by_region(actor=purchaser, fiscal_year=2026) == []
    widget = client_for(province).get(reverse("web:home")).content.decode()
    assert 'data-testid="plans-region"' in widget
    assert "衢州市" in widget
