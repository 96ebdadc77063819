"""A throwaway API of the same class as the real one, with endpoints that fail on purpose."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import path
from ninja import Router, Schema
from ninja.errors import HttpError

from zhengcai.api.base import ZhengcaiAPI
from zhengcai.core.errors import Conflict, DomainError
from zhengcai.urls import urlpatterns as site_urlpatterns

router = Router()


class Payload(Schema):
    name: str
    amount: int


class BrokenWidgetError(DomainError):
    code = "broken_widget"
    status = 418


@router.get("/domain", auth=None)
def domain(request: HttpRequest) -> None:
    raise BrokenWidgetError("The widget is broken.", fields={"widget": ["Replace it."]})


@router.get("/conflict", auth=None)
def conflict(request: HttpRequest) -> None:
    raise Conflict()


@router.post("/validate", auth=None)
def validate(request: HttpRequest, payload: Payload) -> dict[str, str]:
    return {"ok": payload.name}


@router.get("/missing", auth=None)
def missing(request: HttpRequest) -> None:
    raise Http404("secret detail about the lookup")


@router.get("/http-error", auth=None)
def http_error(request: HttpRequest) -> None:
    raise HttpError(409, "Already done.")


@router.get("/denied", auth=None)
def denied(request: HttpRequest) -> None:
    raise PermissionDenied


@router.get("/crash", auth=None)
def crash(request: HttpRequest) -> None:
    raise RuntimeError("database password is hunter2")


@router.get("/private")
def private(request: HttpRequest) -> dict[str, str]:
    return {"ok": "yes"}


test_api = ZhengcaiAPI(title="test", version="test", urls_namespace="test_api")
test_api.add_router("/t/", router)

urlpatterns = [path("test-api/", test_api.urls), *site_urlpatterns]
