"""QA4 #7, #9, #10, #11: the figures year is validated (422 in the API, an ignored filter
with a message on the page, never a 500); SME share with one decimal; Excel file names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from zhengcai.orders.templatetags.orders_money import share
from zhengcai.orders.tests.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["10000", "99999999999999999999", "0", "1999", "2101"])
def test_the_api_refuses_years_out_of_range(purchaser: Any, plan: Any, year: str) -> None:
    client = client_for(purchaser)
    for url in ("/api/v1/mall/orders/figures/", "/api/v1/mall/orders/figures/xlsx/"):
        response = client.get(f"{url}?year={year}")
        assert response.status_code == 422, (url, response.content)
        assert "year_out_of_range" in response.content.decode() or "year" in response.content.decode()
    assert client.get("/api/v1/mall/orders/figures/?year=2000").status_code == 200


@pytest.mark.parametrize("year", ["abc", "-1", "10000", "99999999999999999999", "1999"])
def test_the_page_ignores_a_bad_year_and_says_so(purchaser: Any, plan: Any, year: str) -> None:
    response = client_for(purchaser).get(reverse("orders:figures") + f"?year={year}")
    assert response.status_code == 200
    assert response.context["year"] is None
    flashed = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("2000" in m and "2100" in m for m in flashed)


def test_a_valid_year_without_orders_is_in_the_dropdown(purchaser: Any, plan: Any) -> None:
    response = client_for(purchaser).get(reverse("orders:figures") + "?year=2003")
    assert response.context["year"] == 2003
    assert '<option value="2003" selected>' in response.content.decode()
    export = client_for(purchaser).get(reverse("orders:figures_export") + "?year=2003")
    assert 'filename="mall-orders-figures-2003.xlsx"' in export["Content-Disposition"]


def test_sme_share_has_one_decimal() -> None:
    assert share(float(Decimal("382.12") / Decimal("182396.06"))) == "0.2%"
    assert share(1.0) == "100.0%"
    assert share(None) == "—"
