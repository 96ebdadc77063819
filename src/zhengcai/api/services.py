"""The only write path for API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.api.models import ApiToken
from zhengcai.api.permissions import token_policy
from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, NotFound, ValidationFailed
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE

TOKEN_PREFIX = "zc_"  # noqa: S105 - a public marker that makes leaked tokens easy to scan for
PREFIX_LENGTH = 11  # "zc_" and 8 characters of the secret: enough to recognise, useless to attack
NAME_MAX_LENGTH = 100
# Writing last_used_at on every call would turn each read into a write; once a minute is
# precise enough to spot an unused token.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
_TOKEN_RE = re.compile(r"^zc_[A-Za-z0-9_-]{43}$")


def token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return bool(_TOKEN_RE.match(value))


def token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a system token for the actor's current organisation.

    Preconditions: the actor is a person (not a token) and an administrator of the
    organisation they act for; ``name`` is 1-100 characters and no live token of the
    organisation has it.
    Effects: stores the token with the SHA-256 of its secret; returns ``(token, plaintext)``.
    The plaintext is never stored: the caller shows it once.
    Audit: ``api.token.create`` with the name and prefix (never the secret).
    """
    name = (name or "").strip()
    with transaction.atomic():
        token_policy.require(actor, "create")
        assert actor.organisation_id is not None  # the policy refuses actors without one
        if not name:
            raise ValidationFailed(fields={"name": [_("Give the token a name.")]})
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationFailed(
                fields={"name": [_("The name may have at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}]}
            )
        if ApiToken.objects.filter(organisation_id=actor.organisation_id, name=name, revoked_at__isnull=True).exists():
            raise Conflict(
                _("A token with this name already exists."),
                fields={"name": [_("A token with this name already exists.")]},
            )
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            # The savepoint lets a concurrent duplicate name surface as a Conflict, not a 500.
            with transaction.atomic():
                token = ApiToken.objects.create(
                    organisation_id=actor.organisation_id,
                    name=name,
                    prefix=plaintext[:PREFIX_LENGTH],
                    hash=token_hash(plaintext),
                    created_by_id=actor.user_id,
                    created_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                _("A token with this name already exists."),
                fields={"name": [_("A token with this name already exists.")]},
            ) from exc
        audit_record(
            actor=actor,
            action="api.token.create",
            obj=token,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token, plaintext


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token of the actor's organisation; it stops working at once.

    Preconditions: the token belongs to the actor's current organisation (otherwise
    ``NotFound``, the same as a missing token) and the actor is its administrator.
    Revoking a revoked token changes nothing and records nothing.
    Effects: sets ``revoked_at`` and ``revoked_by``.
    Audit: ``api.token.revoke`` with the name and prefix.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or not token_policy.can(actor, "view", token):
            raise NotFound()
        token_policy.require(actor, "revoke", token)
        if token.revoked_at is not None:
            return token
        token.revoked_at = clock.now()
        token.revoked_by_id = actor.user_id
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="api.token.revoke",
            obj=token,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def token_authenticate(*, plaintext: str) -> Actor | None:
    """The acting ``Actor`` for a presented secret, or ``None`` if it is not a live token.

    A token works only while it is not revoked and its organisation is active; the lookup
    is by hash, so the secret itself is never compared or stored. Effects: moves
    ``last_used_at`` forward at most once per ``LAST_USED_RESOLUTION`` (one UPDATE, skipped
    when the stored value is recent). Not audited: use is not a change, and would flood the trail.
    """
    if not looks_like_token(plaintext):
        return None
    token = (
        ApiToken.objects.select_related("organisation", "organisation__region")
        .filter(hash=token_hash(plaintext), revoked_at__isnull=True, organisation__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    org = token.organisation
    return Actor(
        user_id=None,
        username=f"token:{token.name}",
        organisation_id=org.pk,
        organisation_name=org.name,
        org_type=org.org_type,
        role=ROLE_FOR_ORG_TYPE.get(org.org_type, ""),
        region_code=org.region.code,
        membership_id=None,
        is_org_admin=False,
        is_system=True,
    )
