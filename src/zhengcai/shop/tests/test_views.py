from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, RegionFactory
from zhengcai.core.roles import OrgType
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.shop.compare import MAX_COMPARE

pytestmark = pytest.mark.django_db


def test_home_shows_the_category_tree_and_featured_categories(client: Client, shelf):
    page = client.get(reverse("shop:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="category-tree"' in html
    assert "打印设备及耗材" in html
    assert "?cat=office-paper" in html


def test_anonymous_search_finds_two_character_terms(client: Client, shelf):
    page = client.get(reverse("shop:search"), {"q": "硒鼓"})
    assert page.status_code == 200
    html = page.content.decode()
    assert shelf["toner"].title in html
    assert shelf["paper"].title not in html
    assert 'data-testid="sme-badge"' in html  # the toner's supplier is small with a declaration


def test_search_filters_from_the_query_string(client: Client, shelf):
    page = client.get(
        reverse("shop:search"), {"cat": "office-paper", "attr_size": "A4", "price_max": "30", "region": ""}
    )
    assert list(page.context["result"].ids) == [shelf["paper"].pk]
    assert [spec.key for spec in page.context["specs"]] == ["size", "weight_gsm"]  # the choice attributes
    assert page.context["category_path"][0].code == "office"
    page = client.get(reverse("shop:search"), {"cat": "printing", "sort": "price_asc", "region": ""})
    assert page.context["result"].ids == [shelf["toner"].pk, shelf["printer"].pk, shelf["mfp"].pk]
    assert {link.code for link in page.context["facet_links"]} == {"printing-mfp", "printing-printer", "printing-toner"}


def test_bad_filters_are_ignored(client: Client, shelf):
    page = client.get(
        reverse("shop:search"), {"q": "纸", "price_min": "abc", "page": "x", "sort": "bogus", "region": "12"}
    )
    assert page.status_code == 200
    assert set(page.context["result"].ids) == {shelf["paper"].pk, shelf["paper_a3"].pk}


def test_logged_in_shopper_defaults_to_their_region(shelf):
    region = RegionFactory(code="330106", name="西湖区")
    unit = OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=region)
    membership = MembershipFactory(organisation=unit)
    client = Client()
    client.force_login(membership.user)
    page = client.get(reverse("shop:search"), {"q": "纸"})
    assert page.context["wanted"].filters.region == "330106"
    assert page.context["result"].ids == [shelf["paper"].pk]  # the A3 paper only delivers in 330802
    page = client.get(reverse("shop:search"), {"q": "纸", "region": ""})
    assert len(page.context["result"].ids) == 2


def test_pagination(client: Client, categories):
    for i in range(30):
        ListingFactory(category=categories["office-pens"], title=f"晨光中性笔 {i}")
    from zhengcai.shop.indexer import index_sync

    index_sync()
    first = client.get(reverse("shop:search"), {"q": "中性笔"})
    second = client.get(reverse("shop:search"), {"q": "中性笔", "page": 2})
    assert first.context["result"].total == 30
    assert len(first.context["listings"]) == 24
    assert len(second.context["listings"]) == 6
    assert not set(first.context["result"].ids) & set(second.context["result"].ids)


def test_listing_detail(client: Client, shelf):
    item = shelf["mfp"]
    RegionFactory(code="330800", name="衢州市")
    page = client.get(reverse("shop:listing", args=[item.pk]))
    assert [*page.context["delivery_regions"]] == ["衢州市"]
    assert page.status_code == 200
    html = page.content.decode()
    assert item.title in html
    assert 'data-testid="specs"' in html
    assert "打印方式" in html
    assert "激光" in html
    assert 'data-testid="supplier-card"' in html
    assert 'data-testid="price-history"' in html


def test_unlisted_listing_is_not_found(client: Client, shelf):
    shelf["laptop"].status = ListingStatus.DELISTED
    shelf["laptop"].save()
    assert client.get(reverse("shop:listing", args=[shelf["laptop"].pk])).status_code == 404
    assert client.get(reverse("shop:listing", args=[999999])).status_code == 404


def test_compare_up_to_four_and_the_fifth_is_refused(client: Client, shelf):
    ids = [shelf[k].pk for k in ("paper", "paper_a3", "mfp", "printer", "toner")]
    for pk in ids[:MAX_COMPARE]:
        response = client.post(reverse("shop:compare_add"), {"listing": pk})
        assert response.status_code == 302
    response = client.post(reverse("shop:compare_add"), {"listing": ids[4]}, follow=True)
    assert "最多" in response.content.decode() or "at most" in response.content.decode()
    assert client.session["shop_compare"] == ids[:4]
    page = client.get(reverse("shop:compare"))
    assert [x.pk for x in page.context["listings"]] == ids[:4]
    rows = {row.key: row for row in page.context["specs"]}
    assert rows["size"].values[:2] == ["A4", "A3"]
    assert rows["size"].differs
    assert rows["sheets"].values[:2] == ["500 张", "500 张"]
    assert 'data-testid="spec-differs"' in page.content.decode()
    client.post(reverse("shop:compare_remove"), {"listing": ids[0]})
    assert client.session["shop_compare"] == ids[1:4]
    client.post(reverse("shop:compare_remove"), {})
    assert client.session["shop_compare"] == []


def test_compare_refuses_unlisted_and_ignores_safe_redirects_only(client: Client, shelf):
    shelf["laptop"].status = ListingStatus.DELISTED
    shelf["laptop"].save()
    assert client.post(reverse("shop:compare_add"), {"listing": shelf["laptop"].pk}).status_code == 404
    assert client.post(reverse("shop:compare_add"), {"listing": "x"}).status_code == 404
    response = client.post(reverse("shop:compare_add"), {"listing": shelf["paper"].pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("shop:compare")


def test_english_pages(client: Client, shelf):
    page = client.get(reverse("shop:search"), {"q": "纸"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_pages_keep_to_the_content_security_policy(client: Client, shelf):
    """No inline styles or event handlers: the CSP (style-src/script-src 'self') blocks them."""
    client.post(reverse("shop:compare_add"), {"listing": shelf["paper"].pk})
    for url in (
        reverse("shop:home"),
        reverse("shop:search") + "?q=纸",
        reverse("shop:listing", args=[shelf["paper"].pk]),
        reverse("shop:compare"),
    ):
        html = client.get(url).content.decode()
        assert ' style="' not in html, url
        assert " onchange=" not in html, url
        assert " onclick=" not in html, url
        assert "shop/shop.js" in html, url
