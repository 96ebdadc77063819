"""Who is calling: a system token (Authorization: Bearer) or the browser session with CSRF.

Both set ``request.actor``: the session's comes from ``accounts.middleware.ActorMiddleware``,
a token's is built here (the token's organisation, ``is_system=True``, no user).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from zhengcai.accounts.selectors import is_otp_verified, requires_totp
from zhengcai.api.errors import CsrfFailedError, InvalidTokenError, TotpRequiredError
from zhengcai.api.services import token_authenticate
from zhengcai.core.actor import Actor

# Query parameters that carry credentials in other APIs; a client sending one is leaking a
# secret into access logs, proxies and browser history, so the request is refused.
CREDENTIAL_PARAMETERS = frozenset(
    {
        "token",
        "access_token",
        "auth_token",
        "api_token",
        "api_key",
        "apikey",
        "api-key",
        "bearer",
        "authorization",
        "private_token",
        "secret",
    }
)
_CREDENTIAL_VALUE = re.compile(r"^\s*(bearer\s+\S+|zc_[A-Za-z0-9_-]{16,})", re.IGNORECASE)


def credentials_in_query(request: HttpRequest) -> bool:
    """Whether the URL carries something that is, or looks like, a credential."""
    for key, values in request.GET.lists():
        if key.strip().lower() in CREDENTIAL_PARAMETERS:
            return True
        if any(_CREDENTIAL_VALUE.match(value) for value in values):
            return True
    return False


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zc_…``: a system token acting for its organisation."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        actor = token_authenticate(plaintext=token.strip())
        if actor is None:
            # A presented but bad token is an error in its own right, even if a session
            # cookie is also there: the caller meant to use the token.
            raise InvalidTokenError()
        request.actor = actor  # type: ignore[attr-defined]
        return actor


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods must carry the CSRF token.

    Unlike ninja's ``SessionAuth`` the CSRF check runs only for an authenticated session,
    so a request without any credentials gets 401, not a misleading 403. A regulator or
    operator who has not passed the TOTP step is refused with 401 ``totp_required`` for every
    operation, reads and writes alike.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None or actor.user_id != user.pk:
            return None
        # Between the password and the TOTP step the session is logged in, but it must not
        # reach anything through the API, not even the person's own notifications.
        if not is_otp_verified(request) and requires_totp(user):
            raise TotpRequiredError()
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailedError()
        return actor

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
# Token first: a system that sends a token is never judged by a cookie it happens to carry.
DEFAULT_AUTH = [token_auth, session_auth]
