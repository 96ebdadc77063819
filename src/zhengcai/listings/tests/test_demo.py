"""The demo scene: the category tree of categories.md, banned words and listings in every status."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings.demo import seed_demo
from zhengcai.listings.models import BannedWord, Category, Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.taxonomy import DEMO_CATEGORIES

SEED_ACTOR = Actor(user_id=None, username="seed_demo", org_type=OrgType.OPERATOR, role=Role.OPERATOR, is_system=True)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def test_demo_listings_in_every_status_and_idempotent() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    assert Category.objects.count() == len(DEMO_CATEGORIES) == 21
    assert BannedWord.objects.filter(word="最低价").exists()
    by_status = {s: Listing.objects.filter(status=s).count() for s in ListingStatus.values}
    assert by_status[ListingStatus.PENDING_REVIEW] >= 3
    assert by_status[ListingStatus.REJECTED] >= 1
    assert by_status[ListingStatus.DELISTED] >= 1
    assert by_status[ListingStatus.LISTED] >= 8
    dup = Listing.objects.get(status=ListingStatus.PENDING_REVIEW, supplier__name="衢州市墨彩打印耗材有限公司")
    info = next(r for r in dup.check_results if r["code"] == "duplicate.others")
    assert not info["ok"]
    assert info["severity"] == "info"
    assert all(x.images.exists() for x in Listing.objects.all())
    before = (Category.objects.count(), Listing.objects.count())
    assert seed_demo(actor=SEED_ACTOR) == 0
    assert (Category.objects.count(), Listing.objects.count()) == before
