"""Defects found by QA on issue 3: who loads lines, acceptance, savings, import, formatting."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from zhengcai.accounts.tests.factories import OrganisationFactory
from zhengcai.budgets import selectors, services
from zhengcai.budgets.forms import MoneyField
from zhengcai.budgets.importers import TEMPLATE_HEADERS, budget_lines_import
from zhengcai.budgets.models import BudgetLine, Commitment, LedgerEntry, PaymentRequest
from zhengcai.budgets.tests.conftest import World, actor_in, snapshot, token_of
from zhengcai.budgets.tests.test_pages import client_of
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import MAX_AMOUNT, cny
from zhengcai.core.roles import OrgType

D = Decimal


def _csv(rows: list[list[str]], header: list[str] | None = None) -> io.BytesIO:
    text = "\n".join(",".join(r) for r in [header or TEMPLATE_HEADERS, *rows])
    return io.BytesIO(text.encode("utf-8-sig"))


def _row(world: World, ext: str, **kw: str) -> list[str]:
    values = {
        "ext": ext,
        "sys": "一体化",
        "year": "2026",
        "unit": world.unit.credit_code or "",
        "f": "2050203",
        "e": "31002",
        "src": "general",
        "pc": "XM",
        "name": f"项目{ext}",
        "amount": "1000.00",
    }
    values.update(kw)
    return list(values.values())


def _open_commitment(world: World, amount: str = "1000.00") -> Commitment:
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D(amount), ref="plan:9")
    return services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D(amount),
        ref="plan:9",
        commitment_ref="contract:9",
        supplier_org_id=None,
        description="打印机",
    )


# -- #3: only the finance bureau loads and adjusts lines --------------------------------------------


def test_purchasers_may_not_load_or_adjust_their_own_lines(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.budget_line_upsert(actor=world.admin, data=world.line_data())
    assert not BudgetLine.objects.exists()
    line = world.make_line("1000.00")
    before = snapshot(line)
    for actor in (world.admin, world.clerk):
        with pytest.raises(NotPermitted):
            services.budget_line_adjust(actor=actor, line_id=line.pk, kind="up", amount=D("1"), reason="x")
    result = budget_lines_import(actor=world.admin, file=_csv([_row(world, "P1")]), name="l.csv")
    assert not result.ok
    assert snapshot(line) == before
    assert BudgetLine.objects.count() == 1


def test_the_finance_bureau_people_and_token_load_and_adjust(world: World) -> None:
    line, created = services.budget_line_upsert(actor=world.regulator, data=world.line_data(amount=D("100")))
    assert created
    services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("50"), reason="追加")
    services.budget_line_adjust(
        actor=world.regulator_token, line_id=line.pk, kind="down", amount=D("20"), reason="调减"
    )
    line.refresh_from_db()
    assert line.allocated == D("130.00")
    result = budget_lines_import(actor=world.regulator, file=_csv([_row(world, "R9")]), name="l.csv")
    assert result.ok, result.errors
    assert result.created == 1


def test_only_the_nearest_finance_bureau_loads(world: World) -> None:
    # The county unit's nearest bureau is the city's (no county bureau here); the province's is not it.
    province = actor_in(
        OrganisationFactory(name="浙江省财政厅", org_type=OrgType.REGULATOR, region=world.regions["330000"])
    )
    with pytest.raises(NotPermitted):
        services.budget_line_upsert(actor=token_of(province), data=world.line_data())
    county = actor_in(
        OrganisationFactory(name="柯城区财政局", org_type=OrgType.REGULATOR, region=world.regions["330802"])
    )
    line, _created = services.budget_line_upsert(actor=county, data=world.line_data())
    with pytest.raises(NotPermitted):  # the city bureau still reads it, the county bureau now loads
        services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("1"), reason="x")


def test_an_outside_bureau_gets_not_found_without_the_unit_name(world: World) -> None:
    with pytest.raises(NotFound) as exc:
        services.budget_line_upsert(actor=token_of(world.far_regulator), data=world.line_data())
    assert world.unit.name not in str(exc.value.message)
    c = client_of(world.far_regulator, verified=True)
    r = c.post("/api/v1/budgets/lines", json.dumps(world.line_data(), default=str), content_type="application/json")
    assert r.status_code == 404
    assert world.unit.name not in r.content.decode()


def test_allocation_is_capped(world: World) -> None:
    line = world.make_line(str(MAX_AMOUNT - D("10")))
    before = snapshot(line)
    with pytest.raises(ValidationFailed) as exc:
        services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("10.01"), reason="x")
    assert "999,999,999,999.99" in str(exc.value.message)
    assert snapshot(line) == before
    services.budget_line_adjust(actor=world.regulator, line_id=line.pk, kind="up", amount=D("10"), reason="x")
    line.refresh_from_db()
    assert line.allocated == MAX_AMOUNT


def test_buttons_and_pages_follow_the_permission(world: World) -> None:
    line = world.make_line("5000.00")
    purchaser = client_of(world.admin)
    lines_page = purchaser.get(reverse("budgets:lines")).content.decode()
    assert reverse("budgets:import") not in lines_page
    assert (
        'data-testid="adjust-form"'
        not in purchaser.get(reverse("budgets:line_detail", args=[line.pk])).content.decode()
    )
    # The finance bureau's pages do not exist for anyone else (404, not 403).
    assert purchaser.get(reverse("budgets:import")).status_code == 404
    r = purchaser.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1", "reason": "x"})
    assert r.status_code == 404
    r = purchaser.post(
        f"/api/v1/budgets/lines/{line.pk}/adjustments",
        json.dumps({"kind": "up", "amount": "999999999999.99", "reason": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 403
    bureau = client_of(world.regulator, verified=True)
    assert reverse("budgets:import") in bureau.get(reverse("budgets:lines")).content.decode()
    assert 'data-testid="adjust-form"' in bureau.get(reverse("budgets:line_detail", args=[line.pk])).content.decode()
    assert bureau.get(reverse("budgets:import")).status_code == 200
    r = bureau.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1,000", "reason": "追加"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.allocated == D("6000.00")


# -- #4: the source of funds does not depend on the UI language --------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fund_source_accepts_code_and_both_labels(world: World, language: str) -> None:
    rows = [
        _row(world, "F1", src="一般公共预算"),
        _row(world, "F2", src="General public budget"),
        _row(world, "F3", src="government_funds"),
        _row(world, "F4", src="政府性基金预算"),
    ]
    with translation.override(language):
        result = budget_lines_import(actor=world.regulator, file=_csv(rows), name="l.csv")
    assert result.ok, result.errors
    sources = dict(BudgetLine.objects.values_list("external_id", "fund_source"))
    assert sources == {"F1": "general", "F2": "general", "F3": "government_funds", "F4": "government_funds"}


# -- #9: the import report names the file's own columns ------------------------------------------


def test_import_report_uses_the_file_headers(world: World) -> None:
    result = budget_lines_import(actor=world.regulator, file=_csv([_row(world, "H1", amount="x")]), name="l.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "金额")]
    english = [
        "external_id",
        "source_system",
        "fiscal_year",
        "budget_unit",
        "functional_code",
        "economic_code",
        "fund_source",
        "project_code",
        "project_name",
        "Amount",
    ]
    result = budget_lines_import(
        actor=world.regulator, file=_csv([_row(world, "H2", amount="x")], header=english), name="l.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "Amount")]
    missing = budget_lines_import(actor=world.regulator, file=io.BytesIO("年度\n2026\n".encode()), name="l.csv")
    assert "金额" in {e.column for e in missing.errors}


# -- #6: savings are releases when the procurement completes, not cancellations -----------------------


def test_savings_count_only_completion_releases(world: World) -> None:
    line = world.make_line("10000.00")
    a = world.admin
    for ref in ("plan:1", "plan:2", "plan:3"):
        services.budget_reserve(actor=a, line_id=line.pk, amount=D("1000"), ref=ref)
    services.budget_release(actor=a, line_id=line.pk, amount=D("300"), ref="plan:1", reason="savings")
    services.budget_release(actor=a, line_id=line.pk, amount=D("1000"), ref="plan:2", reason="cancelled")
    services.budget_release(actor=a, line_id=line.pk, amount=D("100"), ref="plan:3")  # old callers: not savings
    kinds = list(LedgerEntry.objects.filter(kind="release").order_by("pk").values_list("reason", flat=True))
    assert kinds == ["savings", "cancelled", "other"]
    total, per_unit = selectors.budget_figures(actor=a, fiscal_year=2026)
    assert total.savings == D("300.00")
    assert per_unit[0].savings == D("300.00")
    before = snapshot(line)
    with pytest.raises(ValidationFailed):
        services.budget_release(actor=a, line_id=line.pk, amount=D("1"), ref="plan:3", reason="lottery")
    assert snapshot(line) == before


# -- #13: money is formatted -------------------------------------------------------------------------


def test_cny_filter() -> None:
    template = Template("{% load budgets_money %}{{ a|cny }} {{ b|cny }} {{ c|cny }}")
    out = template.render(Context({"a": D("2980000"), "b": D("-12.3"), "c": None}))
    assert out == "¥2,980,000.00 -¥12.30 —"


def test_conflict_message_and_pages_format_money(world: World) -> None:
    data = world.line_data(external_id="M-1", amount=D("100000"))
    services.budget_line_upsert(actor=world.regulator_token, data=data)
    with translation.override("en"), pytest.raises(Exception) as exc:  # noqa: PT011 - Conflict, checked below
        services.budget_line_upsert(actor=world.regulator_token, data={**data, "amount": D("2")})
    assert "¥100,000.00" in str(exc.value.message)  # type: ignore[attr-defined]
    assert "¥2.00" in str(exc.value.message)  # type: ignore[attr-defined]
    page = client_of(world.admin).get(reverse("budgets:figures")).content.decode()
    assert "¥100,000.00" in page


def test_a_huge_payment_amount_gets_a_money_message(world: World) -> None:
    commitment = _open_commitment(world)
    services.commitment_accept(
        actor=world.admin, commitment_id=commitment.pk, accepted_amount=D("1000"), accepted_on=dt.date(2026, 2, 20)
    )
    c = client_of(world.clerk)
    r = c.post(reverse("budgets:payment_create", args=[commitment.pk]), {"amount": "9" * 31})
    assert r.status_code == 400
    errors = r.context["form"].errors["amount"]
    assert errors == [str(MoneyField().error_messages["max_length"])]
    assert "30" not in errors[0]
    r = c.post(reverse("budgets:payment_create", args=[commitment.pk]), {"amount": "9" * 13})
    with pytest.raises(ValidationFailed) as too_large:
        cny("9" * 13)
    assert r.context["form"].errors["amount"] == [str(too_large.value.message)]
    assert not PaymentRequest.objects.exists()


# -- #2: acceptance (验收) on the commitment page and in the API ---------------------------------------


def test_acceptance_form_on_the_commitment_page(world: World) -> None:
    commitment = _open_commitment(world)
    url = reverse("budgets:commitment_detail", args=[commitment.pk])
    bureau = client_of(world.regulator, verified=True)
    assert 'data-testid="accept-form"' not in bureau.get(url).content.decode()
    r = bureau.post(
        reverse("budgets:commitment_accept", args=[commitment.pk]),
        {"accepted_amount": "1", "accepted_on": "2026-02-20"},
    )
    assert r.status_code == 403
    c = client_of(world.clerk)
    assert 'data-testid="accept-form"' in c.get(url).content.decode()
    r = c.post(
        reverse("budgets:commitment_accept", args=[commitment.pk]),
        {"accepted_amount": "2000", "accepted_on": "2026-02-20"},
    )
    assert r.status_code == 400
    r = c.post(
        reverse("budgets:commitment_accept", args=[commitment.pk]),
        {"accepted_amount": "600", "accepted_on": "2026-02-20"},
    )
    assert r.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.accepted_amount, commitment.accepted_on) == (
        "accepted",
        D("600.00"),
        dt.date(2026, 2, 20),
    )
    page = c.get(url).content.decode()
    assert 'data-testid="accept-form"' not in page
    assert 'data-testid="payment-new"' in page
    other = client_of(world.other)
    assert other.post(reverse("budgets:commitment_accept", args=[commitment.pk]), {}).status_code == 404


def test_api_commitments_and_acceptance(world: World) -> None:
    commitment = _open_commitment(world)
    c = client_of(world.clerk)
    rows = c.get("/api/v1/budgets/commitments").json()
    assert [(r["id"], r["status"], r["commitment_ref"]) for r in rows] == [(commitment.pk, "open", "contract:9")]
    assert c.get("/api/v1/budgets/commitments?status=accepted").json() == []
    url = f"/api/v1/budgets/commitments/{commitment.pk}/accept"
    r = c.post(
        url, json.dumps({"accepted_amount": "1000.01", "accepted_on": "2026-02-20"}), content_type="application/json"
    )
    assert r.status_code == 400
    r = c.post(
        url, json.dumps({"accepted_amount": "1000", "accepted_on": "2026-02-20"}), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["accepted_amount"], body["accepted_on"]) == ("accepted", "1000.00", "2026-02-20")
    assert body["due_on"]
    assert c.get(f"/api/v1/budgets/commitments/{commitment.pk}").json()["status"] == "accepted"
    r = c.post(
        url, json.dumps({"accepted_amount": "1000", "accepted_on": "2026-02-20"}), content_type="application/json"
    )
    assert r.status_code == 409
    other = client_of(world.other)
    assert other.get(f"/api/v1/budgets/commitments/{commitment.pk}").status_code == 404
    assert other.get("/api/v1/budgets/commitments").json() == []
