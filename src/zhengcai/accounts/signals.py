"""Signal receivers that only hand over to audited services (no workflow lives here)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from zhengcai.accounts import services
from zhengcai.accounts.models import User


def _ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_in, dispatch_uid="accounts_login_record")
def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    services.login_record(user=user, ip_address=_ip(request))


@receiver(user_locked_out, dispatch_uid="accounts_lockout_record")
def on_user_locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    failures = getattr(request, "axes_failures_since_start", None)
    services.login_lockout_record(username=username or "", ip_address=_ip(request), failures=failures)
