"""Second QA pass on issue 3 (budgets side): sub-fen amounts, API messages, 404 for the finance
bureau's pages, the adjustment's reason, messages that say what happened, per-region figures."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import Workbook

from zhengcai.accounts.tests.factories import OrganisationFactory
from zhengcai.budgets import payments, selectors, services
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.forms import AdjustForm, PaymentForm
from zhengcai.budgets.importers import TEMPLATE_HEADERS, budget_lines_import
from zhengcai.budgets.models import BudgetLine, PaymentRequest
from zhengcai.budgets.tests.conftest import World, actor_in, snapshot
from zhengcai.budgets.tests.helpers import accepted_commitment
from zhengcai.budgets.tests.test_pages import client_of
from zhengcai.core.errors import InvalidTransition, ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import Region, RegionLevel

D = Decimal
SUB_FEN = {"zh-hans": "金额最多两位小数", "en": "at most two decimal places"}


def _row(world: World, ext: str, amount: str) -> list[str]:
    return [ext, "一体化", "2026", world.unit.credit_code or "", "2050203", "31002", "general", "XM", "项目", amount]


def _csv(rows: list[list[str]]) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(r) for r in [TEMPLATE_HEADERS, *rows]).encode("utf-8-sig"))


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [TEMPLATE_HEADERS, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


# -- 1: amounts with digits past the fen are refused, never rounded ---------------------------------


def test_import_refuses_sub_fen_amounts_in_csv_and_excel(world: World) -> None:
    result = budget_lines_import(
        actor=world.regulator, file=_csv([_row(world, "A", "100.00"), _row(world, "B", "1.005")]), name="l.csv"
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "金额")]
    assert SUB_FEN["zh-hans"] in result.errors[0].message
    excel = _xlsx([[*_row(world, "C", "0")[:-1], 1234.567]])
    result = budget_lines_import(actor=world.regulator, file=excel, name="l.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "金额")]
    assert not BudgetLine.objects.exists()
    # Exact amounts still load, trailing zeros included.
    ok = budget_lines_import(actor=world.regulator, file=_csv([_row(world, "D", "1.500")]), name="l.csv")
    assert ok.ok, ok.errors
    assert BudgetLine.objects.get().allocated == D("1.50")


@pytest.mark.parametrize("value", ["1.005", "0.001", "1,000.999", D("2.345")])
def test_services_refuse_sub_fen_amounts_and_change_nothing(world: World, value: object) -> None:
    line = world.make_line("1000.00")
    before = snapshot(line)
    clean, errors = services.line_data_clean({**world.line_data(), "amount": value})
    assert clean is None
    assert [c for c, _m in errors] == ["amount"]
    calls = (
        lambda: services.budget_line_adjust(
            actor=world.regulator, line_id=line.pk, kind="up", amount=value, reason="追加"
        ),
        lambda: services.budget_reserve(actor=world.admin, line_id=line.pk, amount=value, ref="plan:1"),
    )
    for call in calls:
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert exc.value.code == "money_sub_fen"
        assert "amount" in exc.value.fields
    assert snapshot(line) == before


def test_payment_amount_sub_fen_refused(world: World) -> None:
    commitment = accepted_commitment(world)
    with pytest.raises(ValidationFailed) as exc:
        payments.payment_request_create(actor=world.clerk, commitment_id=commitment.pk, amount=D("10.001"))
    assert exc.value.code == "money_sub_fen"
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_forms_refuse_sub_fen_in_the_language_of_the_page(world: World, language: str) -> None:
    from django.utils import translation

    with translation.override(language):
        form = AdjustForm({"kind": "up", "amount": "10.005", "reason": "追加"})
        assert not form.is_valid()
        assert SUB_FEN[language] in form.errors["amount"][0]
        assert not PaymentForm({"amount": "¥1,000.001"}).is_valid()
        assert PaymentForm({"amount": "1,000.10"}).is_valid()


def test_api_refuses_sub_fen_amounts(world: World) -> None:
    line = world.make_line("1000.00")
    c = client_of(world.regulator, verified=True)
    r = c.post(
        f"/api/v1/budgets/lines/{line.pk}/adjustments",
        json.dumps({"kind": "up", "amount": 1.005, "reason": "追加"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 400, r.content
    assert SUB_FEN["zh-hans"] in r.json()["error"]["fields"]["amount"][0]
    r = c.post(
        "/api/v1/budgets/lines",
        json.dumps({**world.line_data(), "amount": "99.999"}, default=str),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert list(r.json()["error"]["fields"]) == ["amount"]
    line.refresh_from_db()
    assert line.allocated == D("1000.00")


# -- 3: API messages in the request's language, never raw ------------------------------------------


@pytest.mark.parametrize(
    ("language", "finite", "required", "kinds"),
    [
        ("zh-hans", "有限", "必填", "追加"),
        ("en", "finite number", "required", "increase"),
    ],
)
def test_api_messages_are_translated_and_clear(
    world: World, language: str, finite: str, required: str, kinds: str
) -> None:
    line = world.make_line("1000.00")
    before = snapshot(line)
    c = client_of(world.regulator, verified=True)
    url = f"/api/v1/budgets/lines/{line.pk}/adjustments"

    def post(body: str) -> dict[str, list[str]]:
        r = c.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
        assert 400 <= r.status_code < 500, r.content
        return r.json()["error"]["fields"]

    for raw in ("NaN", "Infinity", "-Infinity", "1e400"):
        fields = post(f'{{"kind": "up", "amount": {raw}, "reason": "x"}}')
        assert finite in fields["amount"][0], fields
    fields = post('{"kind": "up", "amount": "NaN", "reason": "x"}')
    assert "NaN" in fields["amount"][0]
    assert "Input should" not in fields["amount"][0]
    fields = post('{"kind": null, "amount": null, "reason": null}')
    assert all(required in fields[f][0] for f in ("kind", "amount", "reason")), fields
    fields = post('{"kind": "sideways", "amount": "1", "reason": "x"}')
    assert kinds in fields["kind"][0]
    assert "'up' or 'down'" not in fields["kind"][0]
    assert snapshot(line) == before


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "登记支付"), ("en", "record the payment as paid")])
def test_transition_refusals_name_the_action_in_words(world: World, language: str, words: str) -> None:
    commitment = accepted_commitment(world)
    payment = payments.payment_request_create(actor=world.clerk, commitment_id=commitment.pk, amount=D("10"))
    c = client_of(world.admin)
    r = c.post(
        f"/api/v1/budgets/payments/{payment.pk}/actions",
        json.dumps({"action": "pay", "voucher_no": "V-1"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert r.status_code == 409
    message = r.json()["error"]["message"]
    assert words in message
    assert "“pay”" not in message
    r = c.post(
        f"/api/v1/budgets/payments/{payment.pk}/actions",
        json.dumps({"action": "fly"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert r.status_code == 422
    assert "'submit'" not in r.json()["error"]["fields"]["action"][0]
    with pytest.raises(InvalidTransition) as exc:
        payments.payment_request_approve(actor=world.admin, payment_id=payment.pk)
    assert "approve" not in str(exc.value.message) or "approve the payment" in str(exc.value.message)


# -- 4: the finance bureau's pages are not found for anyone else -----------------------------------


def test_import_and_adjust_pages_are_not_found_for_purchasers(world: World) -> None:
    line = world.make_line("1000.00")
    before = snapshot(line)
    for actor in (world.admin, world.clerk):
        c = client_of(actor)
        assert c.get(reverse("budgets:import")).status_code == 404
        assert c.post(reverse("budgets:import"), {}).status_code == 404
        r = c.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1", "reason": "x"})
        assert r.status_code == 404
    assert snapshot(line) == before


# -- 5: the adjustment API takes and returns the human reason as ``reason`` ------------------------


def test_adjustment_api_reason_is_the_human_text(world: World) -> None:
    line = world.make_line("1000.00")
    c = client_of(world.regulator, verified=True)
    r = c.post(
        f"/api/v1/budgets/lines/{line.pk}/adjustments",
        json.dumps({"kind": "up", "amount": "500", "reason": "年中追加预算"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["reason"] == "年中追加预算"
    assert "note" not in body
    assert body["release_reason"] == ""
    entries = c.get(f"/api/v1/budgets/lines/{line.pk}/entries").json()
    assert [e["reason"] for e in entries if e["kind"] == "adjust_up"] == ["年中追加预算"]


# -- 7: messages say what happened, with formatted amounts and plan numbers ------------------------


def _flash(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_payment_actions_say_what_happened(world: World) -> None:
    commitment = accepted_commitment(world)
    clerk, admin = client_of(world.clerk), client_of(world.admin)
    r = clerk.post(reverse("budgets:payment_create", args=[commitment.pk]), {"amount": "1000"})
    assert r.status_code == 302
    payment = PaymentRequest.objects.get()
    assert any("¥1,000.00" in m for m in _flash(r))
    r = clerk.post(reverse("budgets:payment_action", args=[payment.pk, "submit"]), follow=True)
    assert any("¥1,000.00" in m and "已完成" not in m for m in _flash(r)), _flash(r)
    r = admin.post(reverse("budgets:payment_action", args=[payment.pk, "approve"]))
    assert any("¥1,000.00" in m for m in _flash(r))
    r = admin.post(reverse("budgets:payment_action", args=[payment.pk, "pay"]), {"voucher_no": "PZ-2026-001"})
    assert any("PZ-2026-001" in m and "¥1,000.00" in m for m in _flash(r)), _flash(r)


def test_money_in_payment_errors_is_formatted(world: World) -> None:
    commitment = accepted_commitment(world)
    with pytest.raises(InsufficientBudget) as exc:
        payments.payment_request_create(actor=world.clerk, commitment_id=commitment.pk, amount=D("1000.01"))
    assert "¥1,000.00" in str(exc.value)


def test_refs_of_registered_apps_read_as_their_numbers() -> None:
    from zhengcai.budgets.refs import ref_label

    assert ref_label("contract:9") == "contract:9"
    assert ref_label("plan:abc") == "plan:abc"


# -- 10: per-region roll-ups for the province and city regulators ----------------------------------


def test_figures_per_sub_region_keep_visibility(world: World) -> None:
    zj = world.regions["330000"]
    hz = Region.objects.create(code="330100", name="杭州市", level=RegionLevel.CITY, parent=zj)
    xh = Region.objects.create(code="330106", name="西湖区", level=RegionLevel.COUNTY, parent=hz)
    province = actor_in(OrganisationFactory(name="浙江省财政厅", org_type=OrgType.REGULATOR, region=zj))
    hz_bureau = actor_in(OrganisationFactory(name="杭州市财政局", org_type=OrgType.REGULATOR, region=hz))
    hz_unit = OrganisationFactory(name="杭州市某中学", org_type=OrgType.BUDGET_UNIT, region=xh)
    world.make_line("1000.00")
    services.budget_line_upsert(
        actor=hz_bureau, data=world.line_data(budget_unit=hz_unit.credit_code, amount=D("3000.00"))
    )

    rows = {f.label: f.allocated for f in selectors.budget_figures_by_region(actor=province, fiscal_year=2026)}
    assert rows == {"衢州市": D("1000.00"), "杭州市": D("3000.00")}
    # The city regulator: its counties only, never another city's.
    rows = {f.label: f.allocated for f in selectors.budget_figures_by_region(actor=world.regulator, fiscal_year=2026)}
    assert rows == {"柯城区": D("1000.00")}
    assert selectors.budget_figures_by_region(actor=world.admin, fiscal_year=2026) == []

    page = client_of(province, verified=True).get(reverse("budgets:figures") + "?year=2026").content.decode()
    assert 'data-testid="figures-region"' in page
    assert "杭州市" in page
    dashboard = client_of(world.regulator, verified=True).get("/").content.decode()
    assert 'data-testid="budget-region"' in dashboard
    assert "杭州市" not in dashboard.split('data-testid="budget-regions"')[1].split("</table>")[0]
