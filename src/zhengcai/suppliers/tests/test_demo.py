"""The suppliers demo data: approved demo suppliers, one warning, one in the review queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, log_in_verified
from zhengcai.core.actor import SYSTEM
from zhengcai.core.roles import OrgType
from zhengcai.suppliers import demo, selectors
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize, SupplierStatus
from zhengcai.suppliers.tests.factories import SupplierOrgFactory

pytestmark = pytest.mark.django_db


def test_demo_pdf_is_a_pdf() -> None:
    content = demo.demo_pdf("Business licence")
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")


def test_seed_is_idempotent(regions: Any) -> None:
    orgs = [SupplierOrgFactory(region=regions["330802"], name=name) for name in (demo.EXPIRING_FOR, *demo.SIZES)]
    assert demo.seed_demo(actor=SYSTEM) == len(orgs) + 1
    assert demo.seed_demo(actor=SYSTEM) == 0
    for org in orgs:
        assert selectors.supplier_may_sell(org.pk)
        assert SupplierProfile.objects.get(organisation=org).qualifications.exists()
    assert selectors.supplier_size(orgs[1].pk) in {EnterpriseSize.LARGE, EnterpriseSize.MEDIUM}
    main = SupplierProfile.objects.get(organisation=orgs[0])
    assert selectors.expiring_documents(main)
    pending = SupplierProfile.objects.get(status=SupplierStatus.SUBMITTED)
    assert pending.organisation.credit_code == demo.PENDING.credit_code
    operator = OrganisationFactory(org_type=OrgType.OPERATOR, region=regions["330000"])
    user = MembershipFactory(organisation=operator).user
    queue = log_in_verified(Client(), User.objects.get(pk=user.pk)).get(reverse("suppliers:review_queue"))
    assert pending.organisation.name in queue.content.decode()


def test_full_demo_scene() -> None:
    """After ``seed_demo`` the demo supplier sees its warning and the operator a queue."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(username="supplier"))
    page = client.get(reverse("suppliers:profile"))
    assert b'data-testid="expiry-warning"' in page.content
    assert SupplierProfile.objects.filter(status=SupplierStatus.SUBMITTED).count() == 1
    sizes = set(SupplierProfile.objects.values_list("size", flat=True))
    assert {EnterpriseSize.LARGE, EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.MICRO} <= sizes
    assert not SupplierProfile.objects.filter(qualifications__isnull=True).exists()
