"""The only write path for organisations, people, memberships, login events and TOTP.

Every service runs in one transaction: lock rows -> check permission -> check invariants ->
change -> ``audit_record`` in the same transaction. Audit actions are
``accounts.<thing>.<verb>``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts import permissions as perms
from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.permissions import organisation_policy
from zhengcai.accounts.selectors import SESSION_MEMBERSHIP_KEY, memberships_for_user
from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import normalise as normalise_credit_code
from zhengcai.core.creditcode import validate_credit_code
from zhengcai.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE, OrgType, Role
from zhengcai.rules.models import Region

TOTP_DEVICE_NAME = "authenticator"


def _field_error(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _clean_credit_code(value: str) -> str:
    code = normalise_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"credit_code": list(exc.messages)}) from exc
    return code


def _clean_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise _field_error("name", _("Enter the organisation's name."))
    if len(name) > 200:
        raise _field_error("name", _("The name may have at most 200 characters."))
    return name


def _region(code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise _field_error("region_code", _("Unknown region code."))
    return region


def _person_region(user: User | None) -> str:
    """The region an event about this person is filed under, for the regulators: that of
    the membership a new session would act under (the first of ``memberships_for_user``),
    or "" (platform-wide) for someone in no active organisation."""
    memberships = memberships_for_user(user) if user is not None else []
    return memberships[0].organisation.region.code if memberships else ""


def _user_actor(user: User) -> Actor:
    """The person acting for themselves (login, TOTP, password): no organisation, but the
    region of their organisation, so audit events about them reach its regulator."""
    return Actor(user_id=user.pk, username=user.username, region_code=_person_region(user))


# Organisations ---------------------------------------------------------------------------


def organisation_create(*, actor: Actor, org_type: str, name: str, credit_code: str, region_code: str) -> Organisation:
    """Register an organisation.

    Preconditions: the actor is the operator (or the platform); ``org_type`` is an
    ``OrgType``; ``credit_code`` is a valid unified social credit code not yet registered;
    ``region_code`` names an existing region.
    Effects: a new active organisation.
    Audit: ``accounts.organisation.create``.
    """
    with transaction.atomic():
        organisation_policy.require(actor, perms.CREATE)
        if org_type not in OrgType.values:
            raise _field_error("org_type", _("Unknown organisation type."))
        clean_name = _clean_name(name)
        code = _clean_credit_code(credit_code)
        region = _region(region_code)
        if Organisation.objects.filter(credit_code=code).exists():
            raise _field_error(
                "credit_code", _("An organisation with this unified social credit code is already registered.")
            )
        try:
            with transaction.atomic():
                org = Organisation.objects.create(
                    name=clean_name, org_type=org_type, credit_code=code, region=region, created_at=clock.now()
                )
        except IntegrityError as exc:  # a concurrent registration of the same code won the race
            raise _field_error(
                "credit_code", _("An organisation with this unified social credit code is already registered.")
            ) from exc
        audit_record(
            actor=actor,
            action="accounts.organisation.create",
            obj=org,
            data={"name": org.name, "org_type": org.org_type, "credit_code": code, "region": region.code},
            region_code=region.code,
        )
        return org


def organisation_update(
    *, actor: Actor, organisation_id: int, name: str | None = None, region_code: str | None = None
) -> Organisation:
    """Rename an organisation or move it to another region.

    Preconditions: the actor is the operator; the organisation exists.
    Effects: the given fields change; nothing happens (and nothing is audited) if they are
    already as given.
    Audit: ``accounts.organisation.update`` with the old and new values.
    """
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if org is None or not organisation_policy.can(actor, perms.VIEW, org):
            raise NotFound()
        organisation_policy.require(actor, perms.UPDATE, org)
        changes: dict[str, list[str]] = {}
        if name is not None:
            clean_name = _clean_name(name)
            if clean_name != org.name:
                changes["name"] = [org.name, clean_name]
                org.name = clean_name
        if region_code is not None:
            region = _region(region_code)
            if region.pk != org.region_id:
                changes["region"] = [org.region.code, region.code]
                org.region = region
        if changes:
            org.save(update_fields=["name", "region"])
            audit_record(
                actor=actor, action="accounts.organisation.update", obj=org, data=changes, region_code=org.region.code
            )
        return org


def organisation_deactivate(*, actor: Actor, organisation_id: int) -> Organisation:
    """Deactivate an organisation: its members can no longer act for it.

    Preconditions: the actor is the operator; the organisation is active; it is not the
    organisation the actor acts for (an operator cannot lock itself out).
    Effects: ``is_active`` becomes False; memberships stay, for the record.
    Audit: ``accounts.organisation.deactivate``.
    """
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if org is None or not organisation_policy.can(actor, perms.VIEW, org):
            raise NotFound()
        organisation_policy.require(actor, perms.DEACTIVATE, org)
        if not org.is_active:
            raise Conflict(_("This organisation is already inactive."))
        if org.pk == actor.organisation_id:
            raise Conflict(_("You cannot deactivate the organisation you act for."))
        org.is_active = False
        org.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.organisation.deactivate",
            obj=org,
            data={"name": org.name},
            region_code=org.region.code,
        )
        return org


# People and memberships ------------------------------------------------------------------


def user_create(
    *,
    actor: Actor,
    username: str,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create a person's account.

    Preconditions: the actor is the operator or an organisation administrator; the username
    is free and valid; the password (if given) passes the password validators. Without a
    password the account gets an unusable one and the person sets it by password reset.
    Effects: a new active user with no memberships.
    Audit: ``accounts.user.create`` (never the password).
    """
    with transaction.atomic():
        organisation_policy.require(actor, perms.CREATE_USER)
        username = (username or "").strip()
        user = User(username=username, display_name=display_name.strip(), email=email.strip(), phone=phone.strip())
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            raise ValidationFailed(exc.messages[0], fields={"username": list(exc.messages)}) from exc
        if not username:
            raise _field_error("username", _("Enter a username."))
        if User.objects.filter(username__iexact=username).exists():
            raise _field_error("username", _("This username is already taken."))
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationFailed(exc.messages[0], fields={"password": list(exc.messages)}) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.date_joined = clock.now()
        user.save()
        audit_record(
            actor=actor,
            action="accounts.user.create",
            obj=user,
            data={"username": user.username, "display_name": user.display_name},
        )
        return user


def membership_grant(
    *, actor: Actor, organisation_id: int, username: str, role: str = "", is_admin: bool = False
) -> Membership:
    """Give a person a role in an organisation.

    Preconditions: the actor is the operator, or an administrator of that organisation; the
    organisation is active; the role is the one its type gives (``ROLE_FOR_ORG_TYPE``; empty
    means that role); the person exists and does not already hold the role there.
    Effects: a new active membership, or a revoked one reactivated.
    Audit: ``accounts.membership.grant``.
    """
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if org is None or not organisation_policy.can(actor, perms.VIEW, org):
            raise NotFound()
        organisation_policy.require(actor, perms.MANAGE_MEMBERS, org)
        if not org.is_active:
            raise Conflict(_("This organisation is inactive."))
        expected = ROLE_FOR_ORG_TYPE[org.org_type]
        role = role or expected
        if role != expected:
            raise _field_error(
                "role",
                _("A %(org_type)s can only give the role “%(role)s”.")
                % {"org_type": org.get_org_type_display(), "role": Role(expected).label},
            )
        user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
        if user is None:
            raise _field_error("username", _("There is no active user with this username."))
        membership = Membership.objects.select_for_update().filter(user=user, organisation=org, role=role).first()
        if membership is not None and membership.is_active:
            raise _field_error("username", _("This person already holds this role in the organisation."))
        if membership is None:
            membership = Membership.objects.create(
                user=user, organisation=org, role=role, is_admin=is_admin, created_at=clock.now()
            )
        else:
            membership.is_active = True
            membership.is_admin = is_admin
            membership.save(update_fields=["is_active", "is_admin"])
        audit_record(
            actor=actor,
            action="accounts.membership.grant",
            obj=membership,
            data={"user": user.username, "organisation": org.pk, "role": role, "is_admin": is_admin},
            region_code=org.region.code,
        )
        return membership


def membership_revoke(*, actor: Actor, membership_id: int) -> Membership:
    """Take a role away from a person.

    Preconditions: the actor is the operator, or an administrator of the membership's
    organisation; the membership is active and is not the actor's own.
    Effects: the membership becomes inactive (kept for the record).
    Audit: ``accounts.membership.revoke``.
    """
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("organisation", "user")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or not organisation_policy.can(actor, perms.VIEW, membership.organisation):
            raise NotFound()
        organisation_policy.require(actor, perms.MANAGE_MEMBERS, membership.organisation)
        if not membership.is_active:
            raise Conflict(_("This membership is already revoked."))
        if membership.pk == actor.membership_id:
            raise Conflict(_("You cannot revoke the membership you are acting under."))
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.membership.revoke",
            obj=membership,
            data={
                "user": membership.user.username,
                "organisation": membership.organisation_id,
                "role": membership.role,
            },
            region_code=membership.organisation.region.code,
        )
        return membership


def membership_switch(*, actor: Actor, membership_id: int, session: SessionBase) -> Membership:
    """Choose the membership the user acts under from now on.

    Preconditions: the membership is the actor's own, active, in an active organisation;
    anything else is ``NotFound`` (someone else's membership looks like a missing one).
    Effects: the session remembers the choice (``SESSION_MEMBERSHIP_KEY``).
    Audit: ``accounts.membership.switch``.
    """
    with transaction.atomic():
        if actor.user_id is None:
            raise NotFound()
        membership = (
            Membership.objects.select_related("organisation")
            .filter(pk=membership_id, user_id=actor.user_id, is_active=True, organisation__is_active=True)
            .first()
        )
        if membership is None:
            raise NotFound()
        audit_record(
            actor=actor,
            action="accounts.membership.switch",
            obj=membership,
            data={"from": actor.membership_id, "to": membership.pk, "organisation": membership.organisation_id},
        )
        session[SESSION_MEMBERSHIP_KEY] = membership.pk
        return membership


# Login events ------------------------------------------------------------------------------


def login_record(*, user: User, ip_address: str = "") -> None:
    """Record a successful password login (called from Django's ``user_logged_in``).

    Audit: ``accounts.login.success``.
    """
    with transaction.atomic():
        audit_record(actor=_user_actor(user), action="accounts.login.success", obj=user, data={"ip": ip_address or ""})


def login_totp_record(*, user: User, ip_address: str = "") -> None:
    """Record that the person passed the second step (TOTP) and the login is complete.

    Audit: ``accounts.login.totp_passed``.
    """
    with transaction.atomic():
        audit_record(
            actor=_user_actor(user), action="accounts.login.totp_passed", obj=user, data={"ip": ip_address or ""}
        )


def login_lockout_record(*, username: str, ip_address: str = "", failures: int | None = None) -> None:
    """Record that an account was locked after repeated failures (called from axes).

    Audit: ``accounts.login.lockout`` (the username as typed, with the user id if it exists).
    """
    username = (username or "")[:150]
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        actor = Actor(user_id=user.pk if user else None, username=username or "?", region_code=_person_region(user))
        audit_record(
            actor=actor,
            action="accounts.login.lockout",
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            data={"username": username, "ip": ip_address or "", "failures": failures},
        )


# TOTP --------------------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """Begin TOTP setup: an unconfirmed device with a fresh secret (reused until confirmed).

    Preconditions: the user has no confirmed device.
    Effects: at most one unconfirmed device per user.
    Audit: ``accounts.totp.start`` when a new device is created.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Conflict(_("Two-step verification is already set up for this account."))
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
            audit_record(actor=_user_actor(user), action="accounts.totp.start", obj=user, data={"device": device.pk})
        return device


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the pending TOTP device with a code from the authenticator app.

    Preconditions: the user has an unconfirmed device (``totp_device_start``); the code is
    valid now.
    Effects: the device is confirmed; other unconfirmed devices of the user are removed.
    Audit: ``accounts.totp.confirm``.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise NotFound()
        if not device.verify_token((token or "").strip()):
            raise _field_error("otp_token", _("The code is not valid. Check your authenticator app and try again."))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit_record(actor=_user_actor(user), action="accounts.totp.confirm", obj=user, data={"device": device.pk})
        return device


def totp_failure_record(*, user: User, ip_address: str = "") -> None:
    """Record a wrong second-step code.

    Audit: ``accounts.totp.failure``.
    """
    with transaction.atomic():
        audit_record(actor=_user_actor(user), action="accounts.totp.failure", obj=user, data={"ip": ip_address or ""})


def totp_device_provision(*, actor: Actor, username: str, secret_base32: str) -> TOTPDevice:
    """Give a person a confirmed TOTP device with a known secret (demo accounts).

    Preconditions: the actor is the operator or the platform; the secret is valid base32.
    Effects: the person's devices are replaced by one confirmed device with this secret;
    running it again with the same secret changes nothing.
    Audit: ``accounts.totp.provision`` when something changed.
    """
    with transaction.atomic():
        if not perms.is_operator(actor):
            raise NotPermitted()
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            raise NotFound()
        try:
            key = base64.b32decode(secret_base32.strip().upper()).hex()
        except (binascii.Error, ValueError) as exc:
            raise _field_error("secret", _("The secret is not valid base32.")) from exc
        devices = list(TOTPDevice.objects.filter(user=user))
        if len(devices) == 1 and devices[0].confirmed and devices[0].key == key:
            return devices[0]
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
        audit_record(actor=actor, action="accounts.totp.provision", obj=user, data={"device": device.pk})
        return device


def user_password_set(*, user: User, password: str) -> User:
    """Set a person's own password (password change and password reset).

    Preconditions: the password has passed the validators (the Django form checked them).
    Effects: the new password hash is stored.
    Audit: ``accounts.user.password_set`` (never the password).
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        user.password = locked.password
        audit_record(actor=_user_actor(locked), action="accounts.user.password_set", obj=locked)
        return locked


# Lockout ------------------------------------------------------------------------------------


def user_lockout_clear(*, user: User, reason: str) -> int:
    """Clear the login lockout (django-axes failure records) of ``user``'s username.

    Called after a completed password reset: whoever reset the password proved control of
    the account's e-mail, so the lockout message ("try again later or reset your password")
    must hold true. Preconditions: none beyond a real user (the caller has authenticated the
    reset). Effects: every axes failure record for that username is removed, so the next
    login is judged afresh; other usernames keep theirs.
    Audit: ``accounts.user.lockout_clear`` with ``reason`` and the number of records
    removed, only if there was something to clear. Returns that number.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        cleared = int(axes_reset(username=locked.username) or 0)
        if cleared:
            audit_record(
                actor=_user_actor(locked),
                action="accounts.user.lockout_clear",
                obj=locked,
                data={"reason": reason, "attempts_cleared": cleared},
            )
        return cleared
