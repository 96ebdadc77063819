"""QA4 (plans side): completion refused while open inquiries/auctions hold money; the plan
page adds up (reserved + committed + released = planned)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhengcai.core.actor import Actor
from zhengcai.plans import execution, holds, services
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft
from zhengcai.plans.tests.test_views import client_for

pytestmark = pytest.mark.django_db

D = Decimal


def test_completion_is_refused_while_an_event_holds_money(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    holds.plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=D("20000"), ref="sourcing:XJ9")
    client = client_for(purchaser)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-complete-blocked"' in page
    assert 'data-testid="plan-complete"' not in page
    assert "XJ9" in page
    response = client.post(reverse("plans:complete", args=[plan.pk]), follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EXECUTING
    assert "XJ9" in response.content.decode()
    assert holds.plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("30000.00")
    holds.plan_hold_release(actor=purchaser, ref="sourcing:XJ9")
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-complete"' in page
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)


def test_api_completion_with_an_open_event_is_a_conflict(purchaser: Actor, lines: dict[str, int]) -> None:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    holds.plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=D("100"), ref="sourcing:JJ1")
    response = client_for(purchaser).post(f"/api/v1/plans/{plan.pk}/complete")
    assert response.status_code == 409, response.content
    assert "plan_has_open_events" in response.content.decode()
