"""Registration, documents, review, suspension and the expiry sweep, through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from zhengcai.notify.models import OutboxMessage
from zhengcai.suppliers import selectors, services
from zhengcai.suppliers.inputs import DocumentInput, RegistrationInput
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize, QualificationKind, SupplierStatus
from zhengcai.suppliers.tests.conftest import pdf_file

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)

REG = RegistrationInput(
    name="衢州市新锐办公设备有限公司",
    credit_code=make_code("91", "330802", "MA2TX0001"),
    region_code="330802",
    legal_representative="周新锐",
    contact_name="周新锐",
    contact_phone="13900000043",
    contact_email="a@example.test",
    bank_name="中国农业银行衢州分行",
    bank_account="19700000000000043",
    business_scope="办公设备销售",
    size=EnterpriseSize.SMALL,
    sme_declared=True,
    username="xinrui",
    display_name="周新锐",
    email="a@example.test",
    password="Quzhou-supplier-2026",
)


def _actor_for(profile: SupplierProfile) -> Actor:
    membership = Membership.objects.select_related("user", "organisation__region").get(
        organisation=profile.organisation
    )
    return actor_from_membership(membership.user, membership)


def _licence(**kw: Any) -> DocumentInput:
    data = {
        "kind": QualificationKind.BUSINESS_LICENCE,
        "title": "营业执照",
        "issued_on": dt.date(2024, 1, 1),
        "expires_on": dt.date(2030, 1, 1),
        "document": pdf_file(),
    }
    return DocumentInput(**{**data, **kw})


@pytest.fixture
def registered(regions: Any, frozen_clock: Any) -> tuple[SupplierProfile, Actor]:
    profile = services.supplier_register(data=REG)
    return profile, _actor_for(profile)


@pytest.fixture
def submitted(registered: tuple[SupplierProfile, Actor]) -> tuple[SupplierProfile, Actor]:
    profile, actor = registered
    services.qualification_add(actor=actor, data=_licence())
    services.supplier_submit(actor=actor)
    profile.refresh_from_db()
    return profile, actor


# -- registration ----------------------------------------------------------------------------


def test_register_creates_everything_in_draft(registered: tuple[SupplierProfile, Actor]) -> None:
    profile, actor = registered
    assert profile.status == SupplierStatus.DRAFT
    assert profile.organisation.org_type == "supplier"
    assert profile.sme_declared_at is not None
    assert actor.is_org_admin
    assert actor.role == "supplier"
    assert User.objects.get(username="xinrui").check_password(REG.password)
    assert AuditEvent.objects.filter(action="suppliers.profile.register", object_id=str(profile.pk)).exists()
    assert not selectors.supplier_may_sell(profile.organisation_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": REG.credit_code[:17] + ("0" if REG.credit_code[17] != "0" else "1")}, "credit_code"),
        ({"credit_code": "not a code"}, "credit_code"),
        ({"sme_declared": False}, "sme_declared"),
        ({"password": "123456"}, "password"),
        ({"password": "xinrui"}, "password"),
        ({"size": "huge"}, "size"),
        ({"bank_account": "abc"}, "bank_account"),
        ({"legal_representative": ""}, "legal_representative"),
        ({"name": ""}, "name"),
        ({"username": ""}, "username"),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(regions: Any, change: dict, field: str) -> None:
    orgs, users = Organisation.objects.count(), User.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_register(data=replace(REG, **change))
    assert field in exc.value.fields
    assert (Organisation.objects.count(), User.objects.count()) == (orgs, users)
    assert not SupplierProfile.objects.exists()


def test_register_refuses_duplicate_credit_code(registered: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_register(data=replace(REG, username="other", name="另一家公司"))
    assert "credit_code" in exc.value.fields
    assert SupplierProfile.objects.count() == 1


def test_register_bad_region_rolls_back(regions: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.supplier_register(data=replace(REG, region_code="999999"))
    assert not Organisation.objects.filter(credit_code=REG.credit_code).exists()
    assert not User.objects.filter(username="xinrui").exists()


def test_large_enterprise_needs_no_declaration(regions: Any) -> None:
    profile = services.supplier_register(data=replace(REG, size=EnterpriseSize.LARGE, sme_declared=False))
    assert profile.sme_declared_at is None
    assert not selectors.supplier_is_sme(profile.organisation_id)


# -- profile and documents -------------------------------------------------------------------


def test_update_profile_while_draft(registered: tuple[SupplierProfile, Actor]) -> None:
    profile, actor = registered
    services.supplier_profile_update(actor=actor, changes={"contact_name": "张三", "size": EnterpriseSize.LARGE})
    profile.refresh_from_db()
    assert profile.contact_name == "张三"
    assert profile.sme_declared_at is None
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_profile_update(actor=actor, changes={"size": EnterpriseSize.MICRO})
    assert "sme_declared" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.supplier_profile_update(actor=actor, changes={"status": "approved"})


def test_documents_are_checked_by_content(registered: tuple[SupplierProfile, Actor]) -> None:
    _profile, actor = registered
    fake = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    for data, field in [
        (_licence(document=fake), "document"),
        (_licence(document=pdf_file("licence.exe")), "document"),
        (_licence(document=pdf_file(content=b"")), "document"),
        (_licence(document=None), "document"),
        (_licence(expires_on=dt.date(2026, 1, 1)), "expires_on"),
        (_licence(issued_on=dt.date(2027, 1, 1)), "issued_on"),
        (_licence(kind="passport"), "kind"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.qualification_add(actor=actor, data=data)
        assert field in exc.value.fields, field
    doc = services.qualification_add(actor=actor, data=_licence())
    assert doc.required
    assert len(doc.sha256) == 64
    png = SimpleUploadedFile("licence.png", b"\x89PNG\r\n\x1a\n...", content_type="image/png")
    services.qualification_add(actor=actor, data=_licence(document=png, kind=QualificationKind.OTHER, title=""))


def test_document_size_limit(registered: tuple[SupplierProfile, Actor], settings: Any) -> None:
    settings.SUPPLIERS_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationFailed):
        services.qualification_add(actor=registered[1], data=_licence())


def test_delete_document_only_own_and_while_editable(
    submitted: tuple[SupplierProfile, Actor], other_supplier: Actor
) -> None:
    profile, actor = submitted
    doc = profile.qualifications.get()
    with pytest.raises(NotFound):
        services.qualification_delete(actor=other_supplier, qualification_id=doc.pk)
    with pytest.raises(InvalidTransition):
        services.qualification_delete(actor=actor, qualification_id=doc.pk)


def test_submit_needs_a_licence(registered: tuple[SupplierProfile, Actor]) -> None:
    profile, actor = registered
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_submit(actor=actor)
    assert "documents" in exc.value.fields
    services.qualification_add(actor=actor, data=_licence())
    services.supplier_submit(actor=actor)
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUBMITTED
    assert profile.submitted_at is not None
    with pytest.raises(InvalidTransition):
        services.supplier_submit(actor=actor)


# -- review ---------------------------------------------------------------------------------------


def test_submit_notifies_operators(operator: Actor, registered: tuple[SupplierProfile, Actor]) -> None:
    _profile, actor = registered
    services.qualification_add(actor=actor, data=_licence())
    services.supplier_submit(actor=actor)
    assert OutboxMessage.objects.filter(recipient_id=operator.user_id, source_key__contains=":submitted:").exists()


def test_approve(submitted: tuple[SupplierProfile, Actor], operator: Actor) -> None:
    profile, actor = submitted
    services.supplier_approve(actor=operator, profile_id=profile.pk, comment="资料齐全")
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.APPROVED
    assert profile.approved_at is not None
    assert selectors.supplier_may_sell(profile.organisation_id)
    assert OutboxMessage.objects.filter(recipient_id=actor.user_id, source_key__contains=":approved:").exists()
    assert AuditEvent.objects.filter(action="suppliers.profile.approve").exists()


def test_return_needs_reasons_and_allows_resubmission(
    submitted: tuple[SupplierProfile, Actor], operator: Actor
) -> None:
    profile, actor = submitted
    with pytest.raises(ValidationFailed):
        services.supplier_return(actor=operator, profile_id=profile.pk, comment="  ")
    services.supplier_return(actor=operator, profile_id=profile.pk, comment="营业执照不清晰")
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.RETURNED
    assert profile.review_comment == "营业执照不清晰"
    doc = profile.qualifications.get()
    services.qualification_delete(actor=actor, qualification_id=doc.pk)
    services.qualification_add(actor=actor, data=_licence())
    services.supplier_profile_update(actor=actor, changes={"address": "新地址"})
    services.supplier_submit(actor=actor)
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUBMITTED


def test_wrong_role_cannot_review(
    submitted: tuple[SupplierProfile, Actor], purchaser: Actor, other_supplier: Actor
) -> None:
    profile, actor = submitted
    with pytest.raises(NotFound):  # a draft/submitted profile is invisible to buyers and other suppliers
        services.supplier_approve(actor=purchaser, profile_id=profile.pk)
    with pytest.raises(NotFound):
        services.supplier_approve(actor=other_supplier, profile_id=profile.pk)
    with pytest.raises(NotFound):  # the wrong role is told nothing, not even about its own profile
        services.supplier_approve(actor=actor, profile_id=profile.pk)
    with pytest.raises(NotFound):
        services.supplier_profile_update(actor=purchaser, changes={"address": "x"})
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUBMITTED


def test_cannot_approve_twice(submitted: tuple[SupplierProfile, Actor], operator: Actor) -> None:
    profile, _actor = submitted
    services.supplier_approve(actor=operator, profile_id=profile.pk)
    with pytest.raises(InvalidTransition):
        services.supplier_approve(actor=operator, profile_id=profile.pk)


# -- suspension, penalties, reinstatement -------------------------------------------------------


def test_suspend_and_reinstate(profile: SupplierProfile, operator: Actor, supplier: Actor, frozen_clock: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.supplier_suspend(actor=operator, profile_id=profile.pk, reason="")
    services.supplier_suspend(actor=operator, profile_id=profile.pk, reason="投诉查实")
    assert not selectors.supplier_may_sell(profile.organisation_id)
    services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    assert selectors.supplier_may_sell(profile.organisation_id)
    with pytest.raises(InvalidTransition):
        services.supplier_reinstate(actor=operator, profile_id=profile.pk)


def test_credit_penalty_suspends_until_it_ends(profile: SupplierProfile, operator: Actor, frozen_clock: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.supplier_credit_penalty(actor=operator, profile_id=profile.pk, until=TODAY, reason="失信")
    until = TODAY + dt.timedelta(days=30)
    services.supplier_credit_penalty(actor=operator, profile_id=profile.pk, until=until, reason="严重违法失信")
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUSPENDED
    assert profile.credit_penalty_until == until
    with pytest.raises(Conflict):
        services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    frozen_clock.advance(dt.timedelta(days=31))
    services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.APPROVED
    assert profile.credit_penalty_until is None


# -- the expiry sweep ---------------------------------------------------------------------------


def test_sweep_warns_once_then_suspends(
    profile: SupplierProfile, supplier: Actor, operator: Actor, frozen_clock: Any
) -> None:
    doc = services.qualification_add(actor=supplier, data=_licence(expires_on=TODAY + dt.timedelta(days=10)))
    assert services.qualification_sweep() == {"warned": 1, "suspended": 0}
    assert services.qualification_sweep() == {"warned": 0, "suspended": 0}
    assert OutboxMessage.objects.filter(source_key=f"supplier-qualification:{doc.pk}:expiry-warning").count() == 1
    frozen_clock.advance(dt.timedelta(days=11))
    assert services.qualification_sweep() == {"warned": 0, "suspended": 1}
    assert services.qualification_sweep() == {"warned": 0, "suspended": 0}
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUSPENDED
    assert "营业执照" in profile.suspended_reason
    with pytest.raises(Conflict):
        services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    renewed = services.qualification_add(actor=supplier, data=_licence(document=pdf_file(content=b"%PDF-1.4 renewed")))
    assert OutboxMessage.objects.filter(
        recipient_id=operator.user_id, source_key=f"supplier-qualification:{renewed.pk}:uploaded-while-suspended"
    ).exists()
    services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    assert selectors.supplier_may_sell(profile.organisation_id)


def test_sweep_ignores_far_expiries(profile: SupplierProfile, supplier: Actor, frozen_clock: Any) -> None:
    services.qualification_add(actor=supplier, data=_licence(expires_on=TODAY + dt.timedelta(days=300)))
    assert services.qualification_sweep() == {"warned": 0, "suspended": 0}


def test_task_entry_point(profile: SupplierProfile, frozen_clock: Any) -> None:
    from zhengcai.suppliers.tasks import qualification_sweep

    assert qualification_sweep() == 0


def test_operator_registered_supplier_starts_its_profile(regions: Any, supplier_org: Any, supplier: Actor) -> None:
    values = {
        "legal_representative": "王建国",
        "contact_name": "李娜",
        "contact_phone": "13800000000",
        "bank_name": "中国工商银行",
        "bank_account": "1209000000000000000",
        "business_scope": "办公用品",
        "size": EnterpriseSize.MICRO,
        "sme_declared": True,
    }
    profile = services.supplier_profile_create(actor=supplier, values=values)
    assert profile.status == SupplierStatus.DRAFT
    assert profile.sme_declared_at is not None
    with pytest.raises(Conflict):
        services.supplier_profile_create(actor=supplier, values=values)
