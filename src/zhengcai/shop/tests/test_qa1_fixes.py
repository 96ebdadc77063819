"""QA round 1 on the shop: the filter form, partial model numbers, brand aliases, deactivated
categories, the search API's parameters, the cart button, the results heading, demo data."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings.models import Category
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.shop.brands import brand_aliases
from zhengcai.shop.indexer import index_sync
from zhengcai.shop.search import SearchFilters, search_listings
from zhengcai.shop.selectors import forget_cached
from zhengcai.shop.tokens import gram_text, word_grams
from zhengcai.shop.views import may_buy

pytestmark = pytest.mark.django_db


def found(q: str = "", **kwargs: Any) -> list[int]:
    return search_listings(q=q, filters=SearchFilters(**kwargs)).ids


# -- 1: the filter form does not wrap the result cards ------------------------------------------


def test_filter_form_closes_before_the_results_and_carries_no_csrf(client: Client, shelf):
    html = client.get(reverse("shop:search"), {"q": "打印", "region": ""}).content.decode()
    start = html.index('id="shop-filters"')
    end = html.index("</form>", start)
    form = html[start:end]
    assert "csrfmiddlewaretoken" not in form
    assert 'name="next"' not in form
    assert html.index('id="results"') > end  # the cards come after the filter form is closed
    assert 'form="shop-filters"' in html  # the sort select still submits the filters
    # Every card's compare form is complete: its own csrf token, listing and next.
    cards = re.findall(r'<form method="post" action="/mall/compare/add/">(.*?)</form>', html, re.S)
    assert len(cards) == 4
    assert all("csrfmiddlewaretoken" in card and 'name="listing"' in card for card in cards)


# -- 29: the results page has a heading -----------------------------------------------------------


def test_results_page_has_an_h1(client: Client, shelf):
    html = client.get(reverse("shop:search"), {"q": "硒鼓"}).content.decode()
    assert re.search(r"<h1[^>]*>[^<]*硒鼓[^<]*</h1>", html)
    html = client.get(reverse("shop:search"), {"cat": "office-paper"}).content.decode()
    assert re.search(r"<h1[^>]*>复印纸</h1>", html)


# -- 28: add to cart only for a purchaser of a budget unit ----------------------------------------


def test_cart_button_only_for_a_purchaser(client: Client, shelf):
    url = reverse("shop:listing", args=[shelf["paper"].pk])
    assert 'data-testid="cart-add"' not in client.get(url).content.decode()
    supplier = MembershipFactory(organisation=OrganisationFactory(org_type=OrgType.SUPPLIER))
    client.force_login(supplier.user)
    assert 'data-testid="cart-add"' not in client.get(url).content.decode()
    search = client.get(reverse("shop:search"), {"q": "纸", "region": ""}).content.decode()
    assert 'data-testid="cart-add"' not in search
    buyer = MembershipFactory(organisation=OrganisationFactory(org_type=OrgType.BUDGET_UNIT))
    client.force_login(buyer.user)
    assert 'data-testid="cart-add"' in client.get(url).content.decode()


def test_may_buy_is_for_purchasers_acting_for_a_budget_unit():
    purchaser = Actor(user_id=1, username="p", organisation_id=2, org_type=OrgType.BUDGET_UNIT, role=Role.PURCHASER)
    assert may_buy(purchaser)
    operator = Actor(user_id=1, username="o", organisation_id=3, org_type=OrgType.OPERATOR, role=Role.OPERATOR)
    assert not may_buy(operator)
    token = Actor(
        user_id=None, username="t", organisation_id=2, org_type=OrgType.BUDGET_UNIT, role=Role.PURCHASER, is_system=True
    )
    assert not may_buy(token)
    assert not may_buy(Actor(user_id=None, username="anonymous"))


# -- 3: partial model numbers --------------------------------------------------------------------


def test_trigrams_of_mixed_words_only():
    assert word_grams("cc388a") == ["cc3", "c38", "388", "88a"]
    assert word_grams("laserjet") == []  # letters only
    assert word_grams("1136") == []  # digits only
    assert word_grams("a4") == []  # too short
    assert gram_text("W1110A 硒鼓 W1110A") == "w11 111 110 10a"  # once per document


def test_partial_model_numbers_are_found(categories):
    c = categories["printing-toner"]
    w1110a = ListingFactory(category=c, title="惠普（HP）W1110A 硒鼓 适用惠普 108a", brand="惠普", model="W1110A")
    cc388a = ListingFactory(category=c, title="惠普（HP）CC388A 硒鼓 粉盒", brand="惠普", model="CC388A")
    variant = ListingFactory(category=c, title="天威 CC388APlus 硒鼓", brand="天威", model="CC388APlus")
    other = ListingFactory(category=c, title="联想 LT2451 硒鼓", brand="联想", model="LT2451")
    index_sync()
    assert found("W1110") == [w1110a.pk]  # a prefix
    assert set(found("CC388")) == {cc388a.pk, variant.pk}
    assert set(found("88A")) == {cc388a.pk, variant.pk}  # a suffix, and inside CC388APlus
    assert found("CC388A")[0] == cc388a.pk  # the whole word ranks first
    assert set(found("CC388A")) == {cc388a.pk, variant.pk}  # LIKE '%CC388A%' finds both
    assert found("2451") == [other.pk]
    assert found("C388 硒鼓", category="printing-toner")  # with other terms and filters
    assert found("X388") == []


# -- 27: brand aliases ---------------------------------------------------------------------------


def test_brand_aliases_table():
    assert "HP" in brand_aliases("惠普")
    assert brand_aliases("lenovo") == ["联想"]
    assert "得力" in brand_aliases("Deli")
    assert "格力" in brand_aliases("GREE")
    assert brand_aliases("惠普（HP）") == ["Hewlett-Packard"]
    assert brand_aliases("不知名") == []


def test_either_name_of_a_brand_finds_it(categories):
    mfp, printer = categories["printing-mfp"], categories["printing-printer"]
    hp = ListingFactory(category=mfp, title="LaserJet Pro M1136 黑白激光多功能一体机", brand="惠普", model="M1136")
    lenovo = ListingFactory(category=printer, title="LJ2405 打印机", brand="Lenovo", model="LJ2405")
    index_sync()
    assert found("HP M1136") == [hp.pk]
    assert found("惠普 M1136") == [hp.pk]
    assert found("联想") == [lenovo.pk]
    assert found("lenovo") == [lenovo.pk]


# -- 16: deactivated categories ------------------------------------------------------------------


def test_deactivated_category_is_neither_searchable_nor_a_facet(client: Client, shelf):
    assert shelf["toner"].pk in found("M1136")
    Category.objects.filter(code="printing-toner").update(is_active=False)
    forget_cached()
    assert found("M1136") == [shelf["mfp"].pk]
    assert found("硒鼓") == []
    assert found("", category="printing-toner") == []
    result = search_listings(q="", filters=SearchFilters())
    assert "printing-toner" not in result.facets
    assert result.facets["printing"] == 2  # the printer and the MFP
    page = client.get(reverse("shop:search"), {"cat": "printing", "region": ""})
    assert "?cat=printing-toner" not in page.content.decode().replace("&amp;", "&")
    # A deactivated parent hides its whole subtree.
    Category.objects.filter(code="printing").update(is_active=False)
    forget_cached()
    assert found("M1136") == []
    assert found("打印", region="") == [shelf["paper"].pk]
    Category.objects.update(is_active=True)
    forget_cached()
    assert set(found("M1136")) == {shelf["mfp"].pk, shelf["toner"].pk}  # back at once, no reindexing


# -- 24: the search API's parameters -------------------------------------------------------------


@pytest.fixture
def api(db: None) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(MembershipFactory().user)
    return client


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"price_min": "abc"}, "price_min"),
        ({"price_min": "-10"}, "price_min"),
        ({"price_max": "NaN"}, "price_max"),
        ({"price_min": "100", "price_max": "10"}, "price_max"),
        ({"sme": "maybe"}, "sme"),
        ({"supplier": "abc"}, "supplier"),
        ({"sort": "cheapest"}, "sort"),
        ({"region": "33"}, "region"),
        ({"attr": "size"}, "attr"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
    ],
)
def test_bad_search_parameters_are_refused_with_422(api: Client, shelf, params, field):
    response = api.get("/api/v1/mall/search", params)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert list(error["fields"]) == [field]
    assert re.search(r"[\u4e00-\u9fff]", error["fields"][field][0]), error  # translated


def test_price_error_messages_are_translated(api: Client, shelf):
    fields = api.get("/api/v1/mall/search", {"price_min": "-1"}).json()["error"]["fields"]
    assert fields == {"price_min": ["价格不能为负数。"]}


def test_a_page_beyond_the_last_has_the_real_total(api: Client, shelf):
    data = api.get("/api/v1/mall/search", {"q": "打印", "page": 50}).json()
    assert data["total"] == 4
    assert data["results"] == []
    assert data["page"] == 50
    data = api.get("/api/v1/mall/search", {"q": "打印", "page": 10_000, "per_page": 100}).json()
    assert data["total"] == 4  # even beyond the deepest page served
    result = search_listings(q="打印", page=10_000, per_page=100, with_facets=False)
    assert result.total == 4
    assert result.ids == []


def test_good_prices_still_filter(api: Client, shelf):
    data = api.get("/api/v1/mall/search", {"q": "纸", "price_min": "", "price_max": "30"}).json()
    assert [r["id"] for r in data["results"]] == [shelf["paper"].pk]
    assert Decimal(data["results"][0]["price"]) == Decimal("25.00")


def test_a_word_of_letters_finds_itself_inside_a_model_number(categories):
    c = categories["printing-toner"]
    inside = ListingFactory(category=c, title="天威 CC388AMFP 硒鼓 适用惠普 M1136", brand="天威", model="CC388AMFP")
    ListingFactory(category=c, title="联想 LT2451 硒鼓", brand="联想", model="LT2451")
    index_sync()
    assert found("M1136 MFP") == [inside.pk]  # LIKE '%M1136%' AND '%MFP%' finds it too
    assert found("硒鼓 amfp") == [inside.pk]


def test_the_sweeper_builds_a_missing_index_after_a_schema_change(categories):
    from zhengcai.shop.indexer import search_index_sweep
    from zhengcai.shop.selectors import clear_all_dirty

    item = ListingFactory(category=categories["printing-toner"], title="惠普 W1110A 硒鼓", brand="惠普", model="W1110A")
    clear_all_dirty()  # indexed under the old schema: nothing is dirty, but the current index does not exist
    assert search_index_sweep() == 1
    assert found("W1110") == [item.pk]
    assert search_index_sweep() == 0
