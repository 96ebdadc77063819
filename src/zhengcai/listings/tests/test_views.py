"""Listing pages: supplier back office, the operator's review queue and category tree; roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType
from zhengcai.listings import services
from zhengcai.listings.models import AttributeSpec, Category, Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.helpers import paper_input, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def client_for(actor: Actor) -> Client:
    client = Client()
    user = User.objects.get(pk=actor.user_id)
    if actor.org_type in (OrgType.REGULATOR, OrgType.OPERATOR):
        return log_in_verified(client, user)
    client.force_login(user)
    return client


def form_post(categories: Any, **overrides: Any) -> dict[str, Any]:
    post = {
        "category_id": str(categories["office-paper"].pk),
        "title": "得力 A4 复印纸 70g",
        "brand": "得力",
        "model": "DL-7050",
        "description": "",
        "unit": "包",
        "price": "24.50",
        "reference_price": "26.90",
        "reference_source": "ecommerce",
        "reference_url": "",
        "stock": "100",
        "delivery_regions": ["330000"],
        "spec_size": "A4",
        "spec_weight_gsm": "70g",
        "spec_sheets": "500",
    }
    post.update(overrides)
    return post


def test_supplier_creates_uploads_and_submits(supplier: Actor, operator: Actor, categories: Any) -> None:
    client = client_for(supplier)
    assert client.get(reverse("listings:mine")).status_code == 200
    page = client.get(reverse("listings:create"))
    assert page.status_code == 200
    assert "listing-form" in page.content.decode()
    bad = client.post(reverse("listings:create"), form_post(categories, price="abc", stock="-1"))
    assert bad.status_code == 400
    assert not Listing.objects.exists()
    assert "is-invalid" in bad.content.decode()
    response = client.post(reverse("listings:create"), form_post(categories))
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("listings:detail", args=[listing.pk])
    r = client.post(reverse("listings:image_add", args=[listing.pk]), {"image": upload()})
    assert r.status_code == 302
    image = listing.images.get()
    assert client.get(reverse("listings:image", args=[image.pk]))["Content-Type"] == "image/png"
    client.post(reverse("listings:submit", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    detail = client.get(reverse("listings:detail", args=[listing.pk]))
    assert "check-price.ok" in detail.content.decode()
    # The operator reviews.
    op = client_for(operator)
    queue = op.get(reverse("listings:review_queue"))
    assert queue.status_code == 200
    assert listing.number in queue.content.decode()
    assert op.get(reverse("listings:review_detail", args=[listing.pk])).status_code == 200
    op.post(reverse("listings:review_decide", args=[listing.pk]), {"decision": "approve"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED


def test_spec_fields_swap_and_reload(supplier: Actor, categories: Any) -> None:
    client = client_for(supplier)
    fragment = client.get(
        reverse("listings:spec_fields"), {"category_id": categories["printing-printer"].pk}, HTTP_HX_REQUEST="true"
    )
    assert "spec_duplex" in fragment.content.decode()
    assert "激光" in fragment.content.decode()
    reload = client.post(
        reverse("listings:create"), {"category_id": str(categories["computers-laptop"].pk), "reload": "1"}
    )
    assert reload.status_code == 200
    assert "spec_screen_in" in reload.content.decode()
    assert not Listing.objects.exists()


def test_other_supplier_gets_404(supplier: Actor, other_supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(actor=supplier, data=paper_input(categories))
    image = services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload())
    client = client_for(other_supplier)
    assert client.get(reverse("listings:detail", args=[listing.pk])).status_code == 404
    assert client.get(reverse("listings:edit", args=[listing.pk])).status_code == 404
    assert client.post(reverse("listings:submit", args=[listing.pk])).status_code == 404
    assert client.get(reverse("listings:image", args=[image.pk])).status_code == 404


def test_wrong_roles(supplier: Actor, purchaser: Actor, categories: Any) -> None:
    buyer = client_for(purchaser)
    assert buyer.get(reverse("listings:mine")).status_code == 404
    assert buyer.get(reverse("listings:review_queue")).status_code == 404
    assert buyer.get(reverse("listings:categories")).status_code == 404
    seller = client_for(supplier)
    assert seller.get(reverse("listings:review_queue")).status_code == 404
    assert seller.get(reverse("listings:categories")).status_code == 404


def test_operator_keeps_categories_and_templates(operator: Actor, categories: Any) -> None:
    client = client_for(operator)
    page = client.get(reverse("listings:categories"))
    assert page.status_code == 200
    assert "office-paper" in page.content.decode()
    bad = client.post(
        reverse("listings:categories"), {"code": "Bad Code", "name": "", "catalogue_code": "ZZZ", "is_active": "on"}
    )
    assert bad.status_code == 400
    r = client.post(
        reverse("listings:categories"),
        {
            "code": "office-staplers",
            "name": "订书机",
            "name_en": "Staplers",
            "parent_id": str(categories["office"].pk),
            "catalogue_code": "A05040000",
            "is_active": "on",
        },
    )
    new = Category.objects.get(code="office-staplers")
    assert r.status_code == 302
    assert new.parent == categories["office"]
    assert client.get(reverse("listings:category_edit", args=[new.pk])).status_code == 200
    client.post(
        reverse("listings:spec_save", args=[new.pk]),
        {"key": "type", "label": "类型", "kind": "choice", "allowed_values": "普通\n重型", "required": "on"},
    )
    spec = AttributeSpec.objects.get(category=new)
    assert spec.allowed_values == ["普通", "重型"]
    assert spec.required
    page = client.get(reverse("listings:category_edit", args=[new.pk]), {"spec": spec.pk})
    assert "重型" in page.content.decode()
    client.post(reverse("listings:spec_remove", args=[new.pk, spec.pk]))
    assert not AttributeSpec.objects.filter(category=new).exists()
    assert client.get(reverse("listings:banned_words")).status_code == 200
    client.post(reverse("listings:banned_words"), {"word": "史上最强"})
    assert "史上最强" in client.get(reverse("listings:banned_words")).content.decode()


def test_english_ui_uses_english_names(supplier: Actor, categories: Any) -> None:
    from django.conf import settings

    client = client_for(supplier)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("listings:create"), {"category_id": categories["office-paper"].pk})
    text = page.content.decode()
    assert "Copy paper" in text
    assert "Sheets per pack" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("listings:create")).content.decode()
    assert "复印纸" in chinese
    assert "发布商品" in chinese


def _listed(supplier: Actor, operator: Actor, categories: Any, **overrides: Any) -> Listing:
    listing = services.listing_create(actor=supplier, data=paper_input(categories, **overrides))
    services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload())
    services.listing_submit(actor=supplier, listing_id=listing.pk)
    return services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)


def test_operator_finds_a_listed_product_and_delists_it(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = _listed(supplier, operator, categories)
    other = services.listing_create(actor=supplier, data=paper_input(categories, model="DL-9", title="得力 草稿"))
    op = client_for(operator)
    queue = op.get(reverse("listings:review_queue")).content.decode()
    assert reverse("listings:operator_listings") in queue
    page = op.get(reverse("listings:operator_listings"), {"status": "listed", "q": listing.number})
    html = page.content.decode()
    assert page.status_code == 200
    assert listing.number in html
    assert other.number not in html
    by_supplier = op.get(reverse("listings:operator_listings"), {"supplier": supplier.organisation_id})
    assert other.number in by_supplier.content.decode()
    detail = op.get(reverse("listings:review_detail", args=[listing.pk])).content.decode()
    assert "operator-delist-form" in detail
    op.post(reverse("listings:delist", args=[listing.pk]), {"reason": "质量投诉"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED
    assert client_for(supplier).get(reverse("listings:operator_listings")).status_code == 404


def test_delivery_regions_are_shown_with_names(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = _listed(supplier, operator, categories, delivery_regions=["330800"])
    for client, name in ((client_for(supplier), "listings:detail"), (client_for(operator), "listings:review_detail")):
        html = client.get(reverse(name, args=[listing.pk])).content.decode()
        assert "衢州市 (330800)" in html


def test_back_office_says_a_listed_product_is_hidden_while_the_supplier_may_not_sell(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    from zhengcai.suppliers.models import SupplierProfile
    from zhengcai.suppliers.states import SupplierStatus

    listing = _listed(supplier, operator, categories)
    SupplierProfile.objects.filter(organisation_id=supplier.organisation_id).update(status=SupplierStatus.SUSPENDED)
    client = client_for(supplier)
    for html in (
        client.get(reverse("listings:mine")).content.decode(),
        client.get(reverse("listings:detail", args=[listing.pk])).content.decode(),
    ):
        assert "Listed but hidden" in html or "已上架，但已隐藏" in html
    assert "price-form" not in client.get(reverse("listings:detail", args=[listing.pk])).content.decode()


def test_spec_urls_check_the_category(operator: Actor, categories: Any) -> None:
    spec = AttributeSpec.objects.filter(category=categories["office-paper"]).first()
    assert spec is not None
    op = client_for(operator)
    other = categories["office-pens"].pk
    assert op.post(reverse("listings:spec_remove", args=[other, spec.pk])).status_code == 404
    assert op.post(reverse("listings:spec_move", args=[other, spec.pk]), {"direction": "down"}).status_code == 404
    assert AttributeSpec.objects.filter(pk=spec.pk).exists()
