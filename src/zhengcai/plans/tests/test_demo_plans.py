"""The demo scene reaches every part of plans and payments on first start."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.budgets import payments
from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets.models import Commitment, PaymentRequest
from zhengcai.plans import selectors
from zhengcai.plans.models import MethodChangeRequest, ProcurementPlan
from zhengcai.plans.states import ChangeStatus, PlanStatus

pytestmark = pytest.mark.django_db


def _actor(username: str) -> object:
    membership = Membership.objects.select_related("user", "organisation", "organisation__region").get(
        user__username=username, organisation__name="衢州市教育局"
    )
    return actor_from_membership(membership.user, membership)


def test_demo_payment_flow_is_reachable_and_idempotent() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (ProcurementPlan.objects.count(), Commitment.objects.count(), PaymentRequest.objects.count())
    assert "finance" in Client().get(reverse("accounts:login")).content.decode()  # listed as a demo login
    finance = _actor("finance")
    purchaser = _actor("purchaser")
    assert finance.is_org_admin
    assert purchaser.is_org_admin
    assert ProcurementPlan.objects.filter(organisation__name="衢州市教育局", status=PlanStatus.EXECUTING).exists()
    submitted = PaymentRequest.objects.get(status="submitted")
    assert submitted.requested_by_id == purchaser.user_id
    assert budget_selectors.payments_overdue(actor=purchaser)
    payments.payment_request_approve(actor=finance, payment_id=submitted.pk)
    call_command("seed_demo", stdout=io.StringIO())
    assert (ProcurementPlan.objects.count(), Commitment.objects.count(), PaymentRequest.objects.count()) == counts


def test_demo_queue_has_an_aged_change_and_a_rejected_plan() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    pending = MethodChangeRequest.objects.filter(status=ChangeStatus.PENDING)
    assert pending.exists()
    assert max(w for _c, w in selectors.with_sla(pending)) >= 3
    assert ProcurementPlan.objects.filter(status=PlanStatus.REJECTED).exists()
