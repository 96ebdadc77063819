"""Accounts API, mounted at /api/v1/accounts/: who am I, and the organisations I may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from zhengcai.accounts import selectors, services
from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.schemas import MeOut, OrganisationIn, OrganisationOut, OrganisationPageOut
from zhengcai.core.actor import Actor

router = Router(tags=["accounts"])

MAX_LIMIT = 200


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _membership(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "organisation_id": m.organisation_id,
        "organisation_name": m.organisation.name,
        "org_type": m.organisation.org_type,
        "role": m.role,
        "is_admin": m.is_admin,
        "region_code": m.organisation.region.code,
    }


def _organisation(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "org_type": org.org_type,
        "credit_code": org.credit_code,
        "region_code": org.region.code,
        "region_name": org.region.name,
        "is_active": org.is_active,
        "created_at": org.created_at,
    }


class OrganisationFilters(Schema):
    q: str = ""
    org_type: str = ""
    region: str = ""
    active: bool | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@router.get("/me", response=MeOut, summary="Who I am and the organisations I act for")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = _actor(request)
    user = request.user if isinstance(request.user, User) and request.user.pk == actor.user_id else None
    memberships = selectors.memberships_for_user(user) if user is not None and actor.membership_id else []
    return {
        "user": (
            {"id": user.pk, "username": user.username, "display_name": user.display_name, "email": user.email}
            if user is not None
            else None
        ),
        "current_membership_id": actor.membership_id,
        "organisation_id": actor.organisation_id,
        "role": actor.role,
        "memberships": [_membership(m) for m in memberships],
    }


@router.get("/organisations", response=OrganisationPageOut, summary="List the organisations I may see")
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> dict[str, Any]:
    qs = selectors.organisations_visible(
        _actor(request), q=filters.q, org_type=filters.org_type, region_code=filters.region, active=filters.active
    )
    return {
        "count": qs.count(),
        "items": [_organisation(o) for o in qs[filters.offset : filters.offset + filters.limit]],
    }


@router.get("/organisations/{organisation_id}", response=OrganisationOut, summary="One organisation")
def organisation_detail(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return _organisation(selectors.organisation_get(_actor(request), organisation_id))


@router.post("/organisations", response={201: OrganisationOut}, summary="Register an organisation (operator)")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    org = services.organisation_create(actor=_actor(request), **payload.dict())
    return Status(201, _organisation(org))
