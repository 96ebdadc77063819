"""Platform endpoints: who am I, and the organisation's system tokens."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from zhengcai.api import selectors, services
from zhengcai.api.models import ApiToken
from zhengcai.api.pagination import Pagination
from zhengcai.api.schemas import TokenCreateIn, TokenCreateOut, TokenOut, WhoAmIOut
from zhengcai.core.actor import Actor

router = Router(tags=["platform"])


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@router.get("/whoami", response=WhoAmIOut, summary="The caller: user or token, and the organisation")
def whoami(request: HttpRequest) -> Actor:
    return _actor(request)


@router.get("/tokens", response=list[TokenOut], summary="The organisation's system tokens")
@paginate(Pagination)
def token_list(request: HttpRequest) -> list[ApiToken]:
    return selectors.token_list(actor=_actor(request))  # type: ignore[return-value]


@router.post("/tokens", response={201: TokenCreateOut}, summary="Create a system token (organisation admins)")
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, object]]:
    token, secret = services.token_create(actor=_actor(request), name=payload.name)
    return Status(201, {"token": token, "secret": secret})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke a system token (organisation admins)")
def token_revoke(request: HttpRequest, token_id: int) -> ApiToken:
    return services.token_revoke(actor=_actor(request), token_id=token_id)
