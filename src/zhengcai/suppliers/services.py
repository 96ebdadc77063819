"""Writes to supplier profiles: registration, documents, review, suspension, ratings.

Every service runs in one transaction: lock the profile -> check permission -> check state
-> change -> audit -> notify through the outbox. Registration (供应商注册) is free and once
for the whole platform: the unified social credit code is unique.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from zhengcai.accounts import services as accounts_services
from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.audit.services import audit_record
from zhengcai.core import clock, creditcode
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import OrgType, Role
from zhengcai.notify.services import notification_send
from zhengcai.suppliers import selectors
from zhengcai.suppliers.inputs import PROFILE_FIELDS, DocumentInput, RegistrationInput, clean_document, clean_profile
from zhengcai.suppliers.models import Qualification, SupplierProfile
from zhengcai.suppliers.states import (
    ADMITTED,
    BANK_FIELDS,
    CONTACT_FIELDS,
    DOCUMENTS_OPEN,
    EDITABLE,
    SUPPLIER_MACHINE,
    QualificationKind,
    SupplierStatus,
)

__all__ = ["DocumentInput", "RegistrationInput"]

# The platform acting for a person who has no account yet (self-registration).
REGISTRATION_ACTOR = Actor(user_id=None, username="self-registration", is_system=True)

# Django 5.2's MinimumLengthValidator says "...at least %d characters." while Django's own
# zh_Hans catalogue still translates only the older "%(min_length)d" wording, so the
# registration page showed that message in English. Marked here so that this app's
# catalogue carries the Chinese for the wording Django actually uses.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)

_REASON_MESSAGES = {
    "no_profile": _("The organisation has not registered as a supplier."),
    "not_approved": _("The supplier's registration has not been approved yet."),
    "suspended": _("The supplier is suspended."),
    "inactive": _("The supplier's organisation is inactive."),
    "credit_penalty": _("The supplier is under a credit penalty."),
    "document_expired": _("The supplier's business licence or another required document has expired."),
}


def require_may_sell(organisation_id: int, *, on: dt.date | None = None) -> None:
    """Raise ``NotPermitted`` (code ``supplier_may_not_sell``) unless the supplier may sell."""
    if selectors.supplier_may_sell(organisation_id, on=on):
        return
    reasons = selectors.why_may_not_sell(organisation_id, on=on) or ["not_approved"]
    message = " ".join(str(_REASON_MESSAGES[r]) for r in reasons)
    raise NotPermitted(
        _("This supplier may not list or sell in the e-mall: %(reasons)s") % {"reasons": message},
        code="supplier_may_not_sell",
        params={"reasons": ",".join(reasons)},
    )


def audit_profile(actor: Actor, action: str, profile: SupplierProfile, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=profile,
        data={k: str(v) if isinstance(v, dt.date) else v for k, v in data.items()},
        region_code=profile.organisation.region.code,
    )


def supplier_rating_add(*, actor: Actor, organisation_id: int, stars: int) -> SupplierProfile:
    """Add one rating (1-5 stars) to the supplier's running totals.

    Preconditions: called by the orders app on behalf of a purchaser (or the platform);
    ``stars`` is an int from 1 to 5; the organisation has a supplier profile (else NotFound).
    Effects: ``rating_sum += stars``, ``rating_count += 1``.
    Audit: ``suppliers.profile.rate``.
    """
    if not (actor.is_system or actor.has_role(Role.PURCHASER, Role.AGENT, Role.OPERATOR)):
        raise NotPermitted(_("Only buyers rate suppliers."))
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationFailed(fields={"stars": [_("Give between 1 and 5 stars.")]})
    with transaction.atomic():
        profile = (
            SupplierProfile.objects.select_for_update()
            .select_related("organisation__region")
            .filter(organisation_id=organisation_id)
            .first()
        )
        if profile is None:
            raise NotFound()
        profile.rating_sum += stars
        profile.rating_count += 1
        profile.save(update_fields=["rating_sum", "rating_count"])
        audit_profile(actor, "suppliers.profile.rate", profile, stars=stars)
        return profile


# -- helpers ---------------------------------------------------------------------------------


def _is_operator(actor: Actor) -> bool:
    return actor.has_role(Role.OPERATOR) or (actor.is_system and actor.organisation_id is None)


def _lock(*, actor: Actor, profile_id: int) -> SupplierProfile:
    """The profile, locked; NotFound unless the actor sees it."""
    profile = (
        SupplierProfile.objects.select_for_update(of=("self",))
        .select_related("organisation", "organisation__region")
        .filter(pk=profile_id)
        .first()
    )
    if profile is None or not selectors.profiles_visible(actor).filter(pk=profile.pk).exists():
        raise NotFound()
    return profile


def _lock_operator(*, actor: Actor, profile_id: int) -> SupplierProfile:
    """The profile, locked, for an operator decision; NotFound for any other role (checked first)."""
    if not _is_operator(actor):
        raise NotFound()
    return _lock(actor=actor, profile_id=profile_id)


def _lock_own(*, actor: Actor) -> SupplierProfile:
    """The acting supplier's own profile, locked; NotFound for anyone else."""
    if not actor.has_role(Role.SUPPLIER) or not actor.organisation_id:
        raise NotFound()
    pk = SupplierProfile.objects.filter(organisation_id=actor.organisation_id).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound()
    return _lock(actor=actor, profile_id=pk)


def _apply(profile: SupplierProfile, action: str) -> tuple[str, str]:
    return SUPPLIER_MACHINE.apply(profile, action)


def _supplier_recipients(profile: SupplierProfile) -> list[int]:
    return list(
        Membership.objects.filter(organisation_id=profile.organisation_id, is_active=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _operator_recipients() -> list[int]:
    return list(
        Membership.objects.filter(
            role=Role.OPERATOR, is_active=True, user__is_active=True, organisation__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def _notify_supplier(actor: Actor, profile: SupplierProfile, *, key: str, title: Any, body: Any = "") -> None:
    recipients = _supplier_recipients(profile)
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            title=str(title),
            body=str(body),
            url=reverse("suppliers:profile"),
            key=key,
            organisation_id=profile.organisation_id,
        )


def _notify_operators(actor: Actor, profile: SupplierProfile, *, key: str, title: Any, body: Any = "") -> None:
    operators = _operator_recipients()
    if operators:
        notification_send(
            actor=actor,
            recipients=operators,
            title=str(title),
            body=str(body),
            url=reverse("suppliers:review_detail", args=[profile.pk]),
            key=key,
            organisation_id=profile.organisation_id,
        )


# -- registration and the profile ------------------------------------------------------------


def _check_registration(data: RegistrationInput) -> dict[str, Any]:
    """Everything on the form checked at once (nothing written); returns the clean profile values."""
    fields: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    try:
        clean = clean_profile(data.profile_values())
    except ValidationFailed as exc:
        fields.update(exc.fields)
    name = (data.name or "").strip()
    if not name or len(name) > 200:
        fields["name"] = [_("Enter the company name (at most 200 characters).")]
    code = creditcode.normalise(data.credit_code)
    if not creditcode.is_valid(code):
        fields["credit_code"] = [_("This is not a valid unified social credit code.")]
    elif Organisation.objects.filter(credit_code=code).exists():
        fields["credit_code"] = [
            _("A supplier with this unified social credit code is already registered; sign in instead.")
        ]
    username = (data.username or "").strip()
    if not username:
        fields["username"] = [_("Choose a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        fields["username"] = [_("This username is already taken.")]
    if not (data.display_name or "").strip():
        fields["display_name"] = [_("Enter your name.")]
    try:
        validate_password(
            data.password or "", User(username=username, display_name=data.display_name, email=data.email)
        )
    except ValidationError as exc:
        fields["password"] = list(exc.messages)
    if fields:
        raise ValidationFailed(fields=fields)
    return clean


def supplier_register(*, data: RegistrationInput) -> SupplierProfile:
    """Self-registration (供应商注册): organisation, first administrator and a draft profile.

    Preconditions: nobody is logged in (public page); every field valid; the unified social
    credit code valid and not yet registered on the platform; the username free; the
    password passes Django's validators; a medium, small or micro enterprise signs the SME
    declaration (中小企业声明函).
    Effects, all at once or nothing: a supplier organisation, a user, their administrator
    membership and a profile in DRAFT (SME declaration time recorded). Free of charge.
    Audit: ``accounts.organisation.create``, ``accounts.user.create``,
    ``accounts.membership.grant`` and ``suppliers.profile.register``.
    """
    clean = _check_registration(data)
    with transaction.atomic():
        org = accounts_services.organisation_create(
            actor=REGISTRATION_ACTOR,
            org_type=OrgType.SUPPLIER,
            name=data.name,
            credit_code=data.credit_code,
            region_code=data.region_code,
        )
        user = accounts_services.user_create(
            actor=REGISTRATION_ACTOR,
            username=data.username,
            display_name=data.display_name,
            email=data.email,
            phone=data.phone,
            password=data.password,
        )
        membership = accounts_services.membership_grant(
            actor=REGISTRATION_ACTOR, organisation_id=org.pk, username=user.username, is_admin=True
        )
        now = clock.now()
        sme = clean.pop("sme_declared")
        profile = SupplierProfile.objects.create(
            organisation=org, **clean, sme_declared_at=now if sme else None, created_at=now
        )
        audit_profile(
            actor_from_membership(user, membership),
            "suppliers.profile.register",
            profile,
            credit_code=org.credit_code,
            size=profile.size,
            sme_declared=sme,
        )
        return profile


def supplier_profile_create(*, actor: Actor, values: dict[str, Any]) -> SupplierProfile:
    """A supplier organisation registered by the operator (not self-registered) starts its profile.

    Preconditions: the actor is an administrator of a supplier organisation that has no
    profile yet; ``values`` holds the ``inputs.PROFILE_FIELDS``, checked as a whole.
    Effects: a profile in DRAFT. Audit: ``suppliers.profile.create``.
    """
    if not actor.has_role(Role.SUPPLIER) or not actor.organisation_id:
        raise NotFound()
    if not actor.is_org_admin:
        raise NotPermitted(_("Only an administrator of the company can start its supplier profile."))
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationFailed(fields={k: [_("This field cannot be changed.")] for k in unknown})
    clean = clean_profile(values)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().select_related("region").get(pk=actor.organisation_id)
        if SupplierProfile.objects.filter(organisation=org).exists():
            raise Conflict(_("Your company already has a supplier profile."))
        now = clock.now()
        sme = clean.pop("sme_declared")
        profile = SupplierProfile.objects.create(
            organisation=org, **clean, sme_declared_at=now if sme else None, created_at=now
        )
        audit_profile(actor, "suppliers.profile.create", profile, size=profile.size, sme_declared=sme)
        return profile


def supplier_profile_update(*, actor: Actor, changes: dict[str, Any]) -> SupplierProfile:
    """The supplier changes its own profile data.

    While a draft or returned: any of ``inputs.PROFILE_FIELDS``; the merged profile is
    checked as a whole; signing the SME declaration again records the new time.
    Audit: ``suppliers.profile.update`` (the changed field names).

    Once admitted (approved or suspended), without a new review: the contacts
    (``CONTACT_FIELDS``) directly, and the bank account (``BANK_FIELDS``) — the latter only by
    a company administrator, audited with the old and new account
    (``suppliers.profile.bank_change``) and announced to the operators and to every member
    of the company, so that a hijacked account changing where payments go is noticed at
    once. Other fields (legal representative, business scope, size) were what the operator
    approved: a change to them is refused field by field.
    """
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationFailed(fields={k: [_("This field cannot be changed.")] for k in unknown})
    with transaction.atomic():
        profile = _lock_own(actor=actor)
        if profile.status in ADMITTED:
            return _admitted_update(actor, profile, changes)
        if profile.status not in EDITABLE:
            raise InvalidTransition(_("The profile cannot be changed while it is being reviewed."))
        current = _current_values(profile)
        clean = clean_profile({**current, **changes})
        sme = clean.pop("sme_declared")
        changed = [f for f, v in clean.items() if getattr(profile, f) != v]
        for f, v in clean.items():
            setattr(profile, f, v)
        if not sme:
            profile.sme_declared_at = None
        elif "sme_declared" in changes or profile.sme_declared_at is None:
            profile.sme_declared_at = clock.now()
            changed.append("sme_declared")
        profile.save()
        audit_profile(actor, "suppliers.profile.update", profile, fields=changed)
        return profile


def _current_values(profile: SupplierProfile) -> dict[str, Any]:
    current: dict[str, Any] = {f: getattr(profile, f) for f in PROFILE_FIELDS if f != "sme_declared"}
    current["sme_declared"] = profile.sme_declared_at is not None
    return current


def _admitted_update(actor: Actor, profile: SupplierProfile, changes: dict[str, Any]) -> SupplierProfile:
    current = _current_values(profile)
    clean = clean_profile({**current, **changes})
    changed = [f for f in PROFILE_FIELDS if f in changes and clean[f] != current[f]]
    locked = [f for f in changed if f not in CONTACT_FIELDS + BANK_FIELDS]
    if locked:
        raise ValidationFailed(
            fields={
                f: [_("This cannot be changed once the registration is approved; contact the platform operator.")]
                for f in locked
            }
        )
    bank_changed = [f for f in changed if f in BANK_FIELDS]
    if bank_changed and not actor.is_org_admin:
        raise NotPermitted(_("Only an administrator of the company can change its bank account."))
    if not changed:
        return profile
    old_bank = f"{profile.bank_name} {profile.bank_account}"
    for f in changed:
        setattr(profile, f, clean[f])
    profile.save(update_fields=changed)
    contact_changed = [f for f in changed if f in CONTACT_FIELDS]
    if contact_changed:
        audit_profile(actor, "suppliers.profile.update", profile, fields=contact_changed)
    if bank_changed:
        new_bank = f"{profile.bank_name} {profile.bank_account}"
        audit_profile(actor, "suppliers.profile.bank_change", profile, old=old_bank, new=new_bank)
        stamp = clock.now().isoformat()
        _notify_operators(
            actor,
            profile,
            key=f"supplier:{profile.pk}:bank-change:{stamp}",
            title=_("A supplier changed its bank account: %(name)s") % {"name": profile.organisation.name},
            body=_("New account: %(account)s (changed by %(user)s).") % {"account": new_bank, "user": actor.username},
        )
        _notify_supplier(
            actor,
            profile,
            key=f"supplier:{profile.pk}:bank-change:{stamp}:company",
            title=_("Your company's bank account was changed"),
            body=_("Changed by %(user)s to %(account)s. If this was not you, tell the platform operator at once.")
            % {"user": actor.username, "account": new_bank},
        )
    return profile


def qualification_add(*, actor: Actor, data: DocumentInput) -> Qualification:
    """The supplier uploads a qualification document (资质文件).

    Preconditions: the actor's own profile, not awaiting review; a PDF/JPEG/PNG within the
    size limit whose content matches its type; not already expired. The business licence
    is always a required document. The same file (same SHA-256) is refused a second time.
    A renewal uploaded while approved counts at once for ``supplier_may_sell``; a suspended
    supplier then asks for reinstatement (``supplier_reinstatement_request``) and the
    operator, who is told of the new document, checks it and reinstates.
    Audit: ``suppliers.qualification.add`` (with the file's SHA-256).
    """
    clean, digest = clean_document(data, today=clock.today())
    with transaction.atomic():
        profile = _lock_own(actor=actor)
        if profile.status not in DOCUMENTS_OPEN:
            raise InvalidTransition(_("Documents cannot be added while the profile is being reviewed."))
        same = profile.qualifications.filter(sha256=digest).first()
        if same is not None:
            raise ValidationFailed(
                fields={
                    "document": [
                        _("This file was already uploaded as “%(title)s” on %(date)s.")
                        % {"title": same.title, "date": timezone.localtime(same.uploaded_at).date().isoformat()}
                    ]
                }
            )
        assert clean.document is not None
        doc = Qualification.objects.create(
            supplier=profile,
            kind=clean.kind,
            title=clean.title,
            number=clean.number,
            document=clean.document,
            sha256=digest,
            issued_on=clean.issued_on,
            expires_on=clean.expires_on,
            required=clean.required,
            uploaded_at=clock.now(),
        )
        audit_profile(
            actor,
            "suppliers.qualification.add",
            profile,
            qualification=doc.pk,
            kind=doc.kind,
            sha256=digest,
            expires_on=doc.expires_on,
        )
        if profile.status == SupplierStatus.SUSPENDED:
            # A renewal may lift the suspension: the operator checks it and reinstates.
            _notify_operators(
                actor,
                profile,
                key=f"supplier-qualification:{doc.pk}:uploaded-while-suspended",
                title=_("A suspended supplier uploaded a new document: %(name)s") % {"name": profile.organisation.name},
            )
        return doc


def qualification_deletable(profile: SupplierProfile, doc: Qualification, *, on: dt.date | None = None) -> bool:
    """May the supplier remove this document now? Any while a draft or returned; once admitted
    only an expired one, and a required one only once a valid document of the same kind
    replaces it (the lapse must not vanish with the evidence)."""
    if profile.status in EDITABLE:
        return True
    if profile.status not in ADMITTED:
        return False
    today = on or clock.today()
    if doc.expires_on is None or doc.expires_on >= today:
        return False
    if not (doc.required or doc.kind == QualificationKind.BUSINESS_LICENCE):
        return True
    return profile.qualifications.filter(kind=doc.kind).exclude(pk=doc.pk).filter(selectors.valid_q(today)).exists()


def qualification_delete(*, actor: Actor, qualification_id: int) -> None:
    """The supplier removes one of its documents.

    Any document while a draft or returned; once admitted (approved or suspended) only an
    expired one — a required one (the business licence) only after a valid replacement
    of the same kind was uploaded.
    Audit: ``suppliers.qualification.delete``.
    """
    with transaction.atomic():
        profile = _lock_own(actor=actor)
        doc = profile.qualifications.filter(pk=qualification_id).first()
        if doc is None:
            raise NotFound()
        if profile.status in ADMITTED:
            if not qualification_deletable(profile, doc):
                raise InvalidTransition(
                    _(
                        "Once approved, only an expired document can be removed, and a required one only "
                        "after a valid replacement was uploaded."
                    )
                )
        elif profile.status not in EDITABLE:
            raise InvalidTransition(_("Documents cannot be removed while the profile is being reviewed."))
        data = {"qualification": doc.pk, "kind": doc.kind, "sha256": doc.sha256}
        doc.delete()
        audit_profile(actor, "suppliers.qualification.delete", profile, **data)


def _valid_licence(profile: SupplierProfile, today: dt.date) -> bool:
    return (
        profile.qualifications.filter(kind=QualificationKind.BUSINESS_LICENCE).filter(selectors.valid_q(today)).exists()
    )


def supplier_submit(*, actor: Actor) -> SupplierProfile:
    """The supplier submits its profile for review (提交审核); free of charge.

    Preconditions: the actor's own profile, a draft or returned; its data complete; a valid
    business licence uploaded; no required document expired.
    Effects: SUBMITTED; the operators are told.
    Audit: ``suppliers.profile.submit``.
    """
    with transaction.atomic():
        profile = _lock_own(actor=actor)
        if not SUPPLIER_MACHINE.can(profile.status, "submit"):
            _apply(profile, "submit")  # raises the translated InvalidTransition
        current: dict[str, Any] = {f: getattr(profile, f) for f in PROFILE_FIELDS if f != "sme_declared"}
        current["sme_declared"] = profile.sme_declared_at is not None
        clean_profile(current)
        today = clock.today()
        if not _valid_licence(profile, today):
            raise ValidationFailed(fields={"documents": [_("Upload a valid business licence before submitting.")]})
        if selectors.lapsed_documents(profile, on=today):
            raise ValidationFailed(fields={"documents": [_("A required document has expired; upload a valid one.")]})
        _apply(profile, "submit")
        profile.submitted_at = clock.now()
        profile.save(update_fields=["status", "submitted_at"])
        audit_profile(actor, "suppliers.profile.submit", profile)
        _notify_operators(
            actor,
            profile,
            key=f"supplier:{profile.pk}:submitted:{profile.submitted_at.isoformat()}",
            title=_("Supplier registration to review: %(name)s") % {"name": profile.organisation.name},
        )
        return profile


# -- operator decisions -----------------------------------------------------------------------


def supplier_approve(*, actor: Actor, profile_id: int, comment: str = "") -> SupplierProfile:
    """The operator approves a submitted profile (审核通过): the supplier may now sell.

    Preconditions: operator; profile SUBMITTED; a valid business licence.
    Audit: ``suppliers.profile.approve``. Notifies the supplier.
    """
    with transaction.atomic():
        profile = _lock_operator(actor=actor, profile_id=profile_id)
        _apply(profile, "approve")
        if not _valid_licence(profile, clock.today()):
            raise Conflict(_("The supplier has no valid business licence."))
        profile.approved_at = clock.now()
        profile.review_comment = (comment or "").strip()
        profile.save(update_fields=["status", "approved_at", "review_comment"])
        audit_profile(actor, "suppliers.profile.approve", profile, comment=profile.review_comment)
        _notify_supplier(
            actor,
            profile,
            key=f"supplier:{profile.pk}:approved:{profile.approved_at.isoformat()}",
            title=_("Your supplier registration has been approved"),
            body=profile.review_comment,
        )
        return profile


def _reason(comment: str, field: str = "comment") -> str:
    text = (comment or "").strip()
    if not text:
        raise ValidationFailed(fields={field: [_("Give the reasons.")]})
    if len(text) > 2000:
        raise ValidationFailed(fields={field: [_("At most %(n)s characters.") % {"n": 2000}]})
    return text


def supplier_return(*, actor: Actor, profile_id: int, comment: str) -> SupplierProfile:
    """The operator returns a submitted profile for changes (退回), with reasons.

    Audit: ``suppliers.profile.return``. Notifies the supplier.
    """
    text = _reason(comment)
    with transaction.atomic():
        profile = _lock_operator(actor=actor, profile_id=profile_id)
        _apply(profile, "return")
        profile.review_comment = text
        profile.save(update_fields=["status", "review_comment"])
        audit_profile(actor, "suppliers.profile.return", profile, comment=text)
        _notify_supplier(
            actor,
            profile,
            key=f"supplier:{profile.pk}:returned:{clock.now().isoformat()}",
            title=_("Your supplier registration was returned for changes"),
            body=text,
        )
        return profile


def _suspend(actor: Actor, profile: SupplierProfile, reason: str, *, key: str) -> None:
    _apply(profile, "suspend")
    profile.suspended_reason = reason
    profile.suspended_at = clock.now()
    profile.reinstatement_requested_at = None
    fields = ["status", "suspended_reason", "credit_penalty_until", "suspended_at", "reinstatement_requested_at"]
    profile.save(update_fields=fields)
    audit_profile(
        actor,
        "suppliers.profile.suspend",
        profile,
        reason=reason,
        credit_penalty_until=profile.credit_penalty_until,
    )
    _notify_supplier(actor, profile, key=key, title=_("Your company has been suspended from the e-mall"), body=reason)


def supplier_suspend(*, actor: Actor, profile_id: int, reason: str) -> SupplierProfile:
    """The operator suspends an approved supplier (暂停), with reasons: it cannot list or sell.

    Audit: ``suppliers.profile.suspend``. Notifies the supplier.
    """
    text = _reason(reason, "reason")
    with transaction.atomic():
        profile = _lock_operator(actor=actor, profile_id=profile_id)
        _suspend(actor, profile, text, key=f"supplier:{profile.pk}:suspended:{clock.now().isoformat()}")
        return profile


def supplier_credit_penalty(*, actor: Actor, profile_id: int, until: dt.date | None, reason: str) -> SupplierProfile:
    """The operator records a credit penalty (失信惩戒) until a date; an approved supplier is suspended.

    Preconditions: operator; the profile approved or suspended; ``until`` after today.
    Audit: ``suppliers.profile.credit_penalty`` (and ``suppliers.profile.suspend``).
    """
    text = _reason(reason, "reason")
    if until is None or until <= clock.today():
        raise ValidationFailed(fields={"until": [_("The penalty must end after today.")]})
    with transaction.atomic():
        profile = _lock_operator(actor=actor, profile_id=profile_id)
        if profile.status not in (SupplierStatus.APPROVED, SupplierStatus.SUSPENDED):
            raise InvalidTransition(_("A credit penalty applies only to an approved or suspended supplier."))
        profile.credit_penalty_until = until
        audit_profile(actor, "suppliers.profile.credit_penalty", profile, until=until, reason=text)
        if profile.status == SupplierStatus.APPROVED:
            _suspend(actor, profile, text, key=f"supplier:{profile.pk}:penalty:{until.isoformat()}")
        else:
            profile.suspended_reason = text
            profile.save(update_fields=["credit_penalty_until", "suspended_reason"])
        return profile


def reinstatement_obstacles(profile: SupplierProfile, *, on: dt.date | None = None) -> str:
    """What still bars reinstating the supplier, in words ("" when nothing does)."""
    reasons = []
    for code in selectors.reinstatement_blockers(profile, on=on):
        if code == "credit_penalty":
            assert profile.credit_penalty_until is not None
            reasons.append(
                str(
                    _("a credit penalty is in force until %(date)s")
                    % {"date": profile.credit_penalty_until.isoformat()}
                )
            )
        else:
            reasons.append(str(_("a required document has expired and no valid one was uploaded")))
    return "; ".join(reasons)


def _refuse_reinstatement_if_barred(profile: SupplierProfile) -> None:
    obstacles = reinstatement_obstacles(profile)
    if obstacles:
        raise Conflict(_("Reinstatement refused: %(reasons)s.") % {"reasons": obstacles})


def supplier_reinstatement_request(*, actor: Actor) -> SupplierProfile:
    """A suspended supplier asks the operator to reinstate it (申请恢复), e.g. after uploading
    a renewed business licence.

    Why a request and not an automatic reinstatement when the only reason was a lapsed
    document: the new document's dates are typed in by the supplier; the operator checks
    the document itself before the company may sell again.
    Preconditions: the actor's own profile, SUSPENDED, nothing barring reinstatement (no
    credit penalty in force, no lapsed required document), not already requested.
    Effects: ``reinstatement_requested_at``; the operators are told.
    Audit: ``suppliers.profile.reinstatement_request``.
    """
    with transaction.atomic():
        profile = _lock_own(actor=actor)
        if profile.status != SupplierStatus.SUSPENDED:
            raise InvalidTransition(_("Only a suspended supplier can ask to be reinstated."))
        obstacles = reinstatement_obstacles(profile)
        if obstacles:
            raise Conflict(_("You cannot ask to be reinstated yet: %(reasons)s.") % {"reasons": obstacles})
        if profile.reinstatement_requested_at is not None:
            raise Conflict(_("You have already asked to be reinstated; the platform operator will reply."))
        profile.reinstatement_requested_at = clock.now()
        profile.save(update_fields=["reinstatement_requested_at"])
        audit_profile(actor, "suppliers.profile.reinstatement_request", profile)
        _notify_operators(
            actor,
            profile,
            key=f"supplier:{profile.pk}:reinstatement-request:{profile.reinstatement_requested_at.isoformat()}",
            title=_("A suspended supplier asks to be reinstated: %(name)s") % {"name": profile.organisation.name},
        )
        return profile


def supplier_reinstate(*, actor: Actor, profile_id: int, comment: str = "") -> SupplierProfile:
    """The operator reinstates a suspended supplier (恢复) once nothing bars it any more.

    Preconditions: operator; SUSPENDED; no credit penalty in force; every required document
    (the business licence always) valid — the operator has checked the new documents.
    Otherwise refused with a ``Conflict`` saying so and why ("Reinstatement refused: …").
    Audit: ``suppliers.profile.reinstate``. Notifies the supplier.
    """
    with transaction.atomic():
        profile = _lock_operator(actor=actor, profile_id=profile_id)
        _apply(profile, "reinstate")
        _refuse_reinstatement_if_barred(profile)
        profile.suspended_reason = ""
        profile.credit_penalty_until = None
        profile.reinstatement_requested_at = None
        profile.review_comment = (comment or "").strip()
        profile.save(
            update_fields=[
                "status",
                "suspended_reason",
                "credit_penalty_until",
                "reinstatement_requested_at",
                "review_comment",
            ]
        )
        audit_profile(actor, "suppliers.profile.reinstate", profile, comment=profile.review_comment)
        _notify_supplier(
            actor,
            profile,
            key=f"supplier:{profile.pk}:reinstated:{clock.now().isoformat()}",
            title=_("Your company has been reinstated in the e-mall"),
            body=profile.review_comment,
        )
        return profile


# -- expiry sweep ------------------------------------------------------------------------------


def qualification_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """Warn (once per document) of expiring documents and suspend suppliers whose required
    documents have lapsed. Idempotent; acts as the platform (SYSTEM).

    Audit: ``suppliers.qualification.warn`` and ``suppliers.profile.suspend``.
    """
    today = on or clock.today()
    warned = suspended = 0
    for doc in selectors.documents_due_for_warning(on=today):
        profile = doc.supplier
        assert doc.expires_on is not None
        with transaction.atomic():
            locked = Qualification.objects.select_for_update().filter(pk=doc.pk, expiry_warned_at__isnull=True).first()
            if locked is None:
                continue
            locked.expiry_warned_at = clock.now()
            locked.save(update_fields=["expiry_warned_at"])
            audit_profile(
                SYSTEM, "suppliers.qualification.warn", profile, qualification=doc.pk, expires_on=doc.expires_on
            )
            _notify_supplier(
                SYSTEM,
                profile,
                key=f"supplier-qualification:{doc.pk}:expiry-warning",
                title=_("“%(title)s” expires on %(date)s") % {"title": doc.title, "date": doc.expires_on.isoformat()},
                body=_("Upload a renewed document before it expires, or your company will be suspended."),
            )
            warned += 1
    lapsed_ids = list(
        SupplierProfile.objects.filter(status=SupplierStatus.APPROVED)
        .filter(selectors.has_lapsed_required(today))
        .values_list("pk", flat=True)
    )
    for pk in lapsed_ids:
        with transaction.atomic():
            profile = _lock(actor=SYSTEM, profile_id=pk)
            if profile.status != SupplierStatus.APPROVED:
                continue
            titles = ", ".join(d.title for d in selectors.lapsed_documents(profile, on=today))
            reason = str(_("Required document expired: %(titles)s") % {"titles": titles})
            _suspend(SYSTEM, profile, reason, key=f"supplier:{pk}:lapsed:{today.isoformat()}")
            suspended += 1
    return {"warned": warned, "suspended": suspended}
