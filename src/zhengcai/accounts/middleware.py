"""Attach ``request.actor`` and hold back people who still owe the second login step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from zhengcai.accounts.selectors import actor_for_request, has_confirmed_totp, is_otp_verified, requires_totp


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = actor_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)


# URL names a person may reach between the password and the TOTP step.
TOTP_STEP_URL_NAMES = frozenset({"totp_verify", "totp_setup", "logout", "login"})


class TotpRequiredMiddleware:
    """Regulators and operators reach nothing but the TOTP pages until they pass them.

    Runs after django-otp's ``OTPMiddleware`` (which sets ``user.is_verified()``). Public
    views (``login_not_required``), the JSON API and static files are left alone: the API
    authenticates on its own and gets an actor without any role from ``actor_for_request``
    until the session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and (
            (match.namespace == "accounts" and match.url_name in TOTP_STEP_URL_NAMES) or match.namespace == "api"
        ):
            return None
        if request.path.startswith("/api/") or is_otp_verified(request) or not requires_totp(user):
            return None
        step = "accounts:totp_verify" if has_confirmed_totp(user) else "accounts:totp_setup"
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
