"""QA round 3 on the shop: generated listings carry their approved price and no duplicates;
brand names anywhere in the indexed text find their aliases ("HP" finds "适用惠普 …")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.shop import generator
from zhengcai.shop.brands import aliases_in_text, split_brand_prefix
from zhengcai.shop.indexer import index_sync
from zhengcai.shop.search import SearchFilters, search_listings
from zhengcai.suppliers.tests.factories import SupplierProfileFactory

pytestmark = pytest.mark.django_db


def found(q: str = "", **kwargs: Any) -> list[int]:
    return sorted(search_listings(q=q, filters=SearchFilters(**kwargs)).ids)


def test_generated_listings_carry_their_approved_price_and_no_duplicates(categories):
    suppliers = [SupplierProfileFactory().organisation_id for _ in range(2)]
    rows = list(
        generator.listing_objects(
            n=1500, seed=5, supplier_ids=suppliers, categories=generator.leaf_categories(), now=timezone.now()
        )
    )
    assert len(rows) == 1500
    for row in rows:
        if row.status == ListingStatus.DRAFT:
            assert row.reviewed_price is None
        else:  # listed, or delisted after being listed
            assert row.reviewed_price == row.price
    keys = [(r.supplier_id, r.brand, r.model.lower(), r.category_id, generator._spec_key(r.specs)) for r in rows]
    assert len(set(keys)) == len(keys)


def test_brand_names_in_the_text_give_their_aliases():
    assert aliases_in_text("硒鼓 适用惠普 M1136/P1108") == ["HP", "Hewlett-Packard"]
    assert "惠普" in aliases_in_text("HP 88A 硒鼓")
    assert aliases_in_text("CHP 精美的 收纳盒") == []  # no Latin name inside a word, no "美的" in prose
    assert split_brand_prefix("hp88a") == ("hp", "88a")
    assert split_brand_prefix("cc388a") is None


def test_hp_and_huipu_find_the_same_third_party_toner(categories):
    c = categories["printing-toner"]
    compatible = ListingFactory(
        category=c,
        title="天威 CC388A 硒鼓 适用惠普 M1136/P1108",
        brand="天威",
        model="CC388A",
        specs={"compatible": "惠普 M1136", "yield_pages": "1500"},
    )
    genuine = ListingFactory(category=c, title="HP 88A 黑色硒鼓", brand="HP", model="CC388A")
    other = ListingFactory(category=c, title="联想 LT2451 硒鼓", brand="联想", model="LT2451")
    index_sync()
    assert found("HP") == found("惠普") == sorted([compatible.pk, genuine.pk])
    assert found("HP M1136") == found("惠普 M1136") == [compatible.pk]
    assert genuine.pk in found("hp88a")  # brand run into the model number
    assert other.pk not in found("hp88a")


def test_a_delisted_demo_listing_can_be_relisted(settings, tmp_path, categories):
    from zhengcai.accounts.selectors import actor_from_membership
    from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_actor
    from zhengcai.core.actor import SYSTEM
    from zhengcai.core.roles import OrgType
    from zhengcai.listings import services
    from zhengcai.listings.models import Listing
    from zhengcai.rules.services import rules_seed_defaults
    from zhengcai.shop import demo

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    settings.ZHENGCAI_DEMO_LISTINGS = 300
    rules_seed_defaults(actor=SYSTEM)
    org = SupplierProfileFactory(organisation__name="衢州市鑫盛印务有限公司").organisation
    demo.seed_demo(actor=SYSTEM)  # one supplier: 300 printers and consumables of a few brands
    mine = Listing.objects.filter(supplier=org).exclude(status=ListingStatus.DRAFT)
    assert mine.count() >= 300
    for listing in mine:
        results = services.run_checks_for(listing)
        assert not any(r["code"] == "duplicate.own" and not r["ok"] for r in results), listing.pk
    supplier = actor_from_membership(*_membership(MembershipFactory(organisation=org, is_admin=True)))
    operator = make_actor(OrgType.OPERATOR, organisation=OrganisationFactory(org_type=OrgType.OPERATOR))
    target = mine.filter(status=ListingStatus.LISTED).first()
    services.listing_delist(actor=operator, listing_id=target.pk, reason="演示下架")
    services.listing_relist(actor=supplier, listing_id=target.pk)
    target.refresh_from_db()
    assert target.status == ListingStatus.PENDING_REVIEW


def _membership(membership: Any) -> tuple[Any, Any]:
    return membership.user, membership
