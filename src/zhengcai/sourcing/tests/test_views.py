"""Sourcing pages: publish through the form, the sealed count, the quote form, the htmx
bidding board, the award; and 404 for those who may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.roles import OrgType
from zhengcai.sourcing import responses
from zhengcai.sourcing.models import Bid, Quote, SourcingEvent
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tests.conftest import publish

pytestmark = pytest.mark.django_db


def client_for(actor: Any) -> Client:
    client = Client()
    user = User.objects.get(pk=actor.user_id)
    if actor.org_type == OrgType.REGULATOR:
        return log_in_verified(client, user)
    client.force_login(user)
    return client


def local(at: dt.datetime) -> str:
    return timezone.localtime(at, PLATFORM_TZ).strftime("%Y-%m-%dT%H:%M")


def form(plan: Any, category: Any, now: dt.datetime, **kw: str) -> dict[str, str]:
    data = {
        "kind": "inquiry",
        "plan_line": f"{plan.pk}:{plan.fundings.first().budget_line_id}",
        "title": "教师办公电脑询价",
        "category_id": str(category.pk),
        "ceiling": "280000",
        "delivery_region_code": "330802",
        "delivery_by": (now + dt.timedelta(days=30)).date().isoformat(),
        "closes_at": local(now + dt.timedelta(days=2)),
        "items-0-description": "台式计算机",
        "items-0-specs": "i5/16G/512G",
        "items-0-quantity": "40",
        "items-0-unit": "台",
    }
    data.update(kw)
    return data


def test_purchaser_publishes_through_the_form(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    client = client_for(purchaser)
    page = client.get(reverse("sourcing:create") + "?kind=inquiry")
    assert page.status_code == 200
    assert plan.title in page.content.decode()
    bad = client.post(reverse("sourcing:create"), form(plan, category, frozen_clock.now(), ceiling="abc", title=""))
    assert bad.status_code == 400
    assert not SourcingEvent.objects.exists()
    response = client.post(reverse("sourcing:create"), form(plan, category, frozen_clock.now()))
    event = SourcingEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sourcing:detail", args=[event.pk])
    listing = client.get(reverse("sourcing:list"))
    assert event.title in listing.content.decode()


def test_quote_form_and_sealed_count(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, other_unit_purchaser: Any
) -> None:
    event = publish(purchaser, plan, category)
    ids = list(event.items.values_list("pk", flat=True))
    supplier = client_for(s1)
    assert event.title in supplier.get(reverse("sourcing:list")).content.decode()
    page = supplier.get(reverse("sourcing:detail", args=[event.pk]))
    assert 'data-testid="quote-form"' in page.content.decode()
    bad = supplier.post(reverse("sourcing:quote", args=[event.pk]), {f"price-{ids[0]}": "x", "delivery_days": "7"})
    assert bad.status_code == 400
    assert not Quote.objects.exists()
    ok = supplier.post(
        reverse("sourcing:quote", args=[event.pk]),
        {f"price-{ids[0]}": "4000", f"price-{ids[1]}": "900", "delivery_days": "7"},
    )
    assert ok.status_code == 302
    assert Quote.objects.count() == 1
    buyer_page = client_for(purchaser).get(reverse("sourcing:detail", args=[event.pk])).content.decode()
    assert 'data-testid="quotes-sealed"' in buyer_page
    assert "¥196,000.00" not in buyer_page
    assert client_for(other_unit_purchaser).get(reverse("sourcing:detail", args=[event.pk])).status_code == 404
    frozen_clock.set(event.closes_at)
    late = supplier.post(
        reverse("sourcing:quote", args=[event.pk]),
        {f"price-{ids[0]}": "3000", f"price-{ids[1]}": "900", "delivery_days": "7"},
    )
    assert late.status_code == 400
    assert Quote.objects.get().total == 196000
    buyer_page = client_for(purchaser).get(reverse("sourcing:detail", args=[event.pk])).content.decode()
    assert " style=" not in buyer_page  # the CSP allows no inline styles
    assert 'data-testid="quotes-table"' in buyer_page
    assert "¥196,000.00" in buyer_page


def test_bidding_board_with_htmx(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    c1, c2 = client_for(s1), client_for(s2)
    page = c1.get(reverse("sourcing:detail", args=[event.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert 'data-testid="bid-form"' in page
    ok = c1.post(reverse("sourcing:bid", args=[event.pk]), {"amount": "199000"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    assert "¥199,000.00" in ok.content.decode()
    refused = c2.post(reverse("sourcing:bid", args=[event.pk]), {"amount": "198500"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "¥198,000.00" in refused.content.decode()
    board = c2.get(reverse("sourcing:board", args=[event.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "¥199,000.00" in board
    assert s1.organisation_name not in board
    assert Bid.objects.count() == 1


def test_award_from_the_page(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any
) -> None:
    event = publish(purchaser, plan, category)
    ids = list(event.items.values_list("pk", flat=True))
    for n, s in enumerate((s1, s2, s3)):
        responses.quote_submit(
            actor=s, event_id=event.pk, prices={ids[0]: str(4000 - n), ids[1]: "900"}, delivery_days=7
        )
    frozen_clock.set(event.closes_at)
    client = client_for(purchaser)
    response = client.post(reverse("sourcing:award", args=[event.pk]), follow=True)
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == Status.AWARDED
    assert event.winner_org_id == s3.organisation_id


def test_others_get_404(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, unsellable: Any
) -> None:
    event = publish(purchaser, plan, category)
    assert client_for(unsellable).get(reverse("sourcing:detail", args=[event.pk])).status_code == 404
    assert client_for(s1).get(reverse("sourcing:create")).status_code == 404
    assert client_for(s1).post(reverse("sourcing:award", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.status == Status.OPEN
