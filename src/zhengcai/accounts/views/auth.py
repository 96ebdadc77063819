"""Login, lockout, the TOTP step, password change and reset, switching organisation, profile."""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts import selectors, services
from zhengcai.accounts.forms import OtpTokenForm
from zhengcai.accounts.models import User
from zhengcai.core.errors import DomainError


def _demo_users() -> list[dict[str, Any]]:
    """The demo logins for the login page; only in demo mode (the list lives in ``web``)."""
    provider = getattr(settings, "DEMO_USERS_PROVIDER", "")
    if not settings.DEMO_MODE or not provider:
        return []
    result: list[dict[str, Any]] = import_string(provider)()
    return result


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _totp_step_url(user: User, next_url: str) -> str:
    step = "accounts:totp_verify" if selectors.has_confirmed_totp(user) else "accounts:totp_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """Password login; regulators and operators continue to the TOTP step."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_users"] = _demo_users()
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if isinstance(user, User) and selectors.requires_totp(user):
            return _totp_step_url(user, url)
        return url


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """What django-axes shows once an account is locked: our login page with a clear message."""
    if request.user.is_authenticated:
        logout(request)
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "lockout_minutes": minutes,
        "demo_users": _demo_users(),
    }
    return render(request, "accounts/login.html", context, status=403)


def _count_failure(request: HttpRequest, user: User) -> bool:
    """A wrong second-step code counts as a login failure for the lockout; True if now locked."""
    services.totp_failure_record(user=user, ip_address=_client_ip(request))
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def _locked(request: HttpRequest, user: User) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": user.username}))


def totp_verify(request: HttpRequest) -> HttpResponse:
    """Second step for people with a confirmed authenticator: enter the current code."""
    user = request.user
    assert isinstance(user, User)
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if selectors.is_otp_verified(request):
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return HttpResponseRedirect(_totp_step_url(user, next_url))
    if _locked(request, user):
        return lockout_response(request)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["otp_token"].strip()):
            otp_login(request, device)
            services.login_totp_record(user=user, ip_address=_client_ip(request))
            return HttpResponseRedirect(next_url)
        if _count_failure(request, user):
            return lockout_response(request)
        form.add_error(
            "otp_token",
            _("The code is not valid. Check your authenticator app and try again.")
            if allowed
            else _("Too many wrong codes in a row. Wait a few seconds and try again."),
        )
    return render(request, "accounts/totp_verify.html", {"form": form, "next": next_url})


def totp_setup(request: HttpRequest) -> HttpResponse:
    """First-time TOTP setup: show the QR code and the secret, confirm with a valid code."""
    user = request.user
    assert isinstance(user, User)
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if selectors.has_confirmed_totp(user):
        return HttpResponseRedirect(_totp_step_url(user, next_url))
    if _locked(request, user):
        return lockout_response(request)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(user=user, token=form.cleaned_data["otp_token"])
        except DomainError as error:
            if _count_failure(request, user):
                return lockout_response(request)
            form.add_error("otp_token", str(error.message))
        else:
            otp_login(request, device)
            services.login_totp_record(user=user, ip_address=_client_ip(request))
            messages.success(request, _("Two-step verification is set up."))
            return HttpResponseRedirect(next_url)
    device = services.totp_device_start(user=user)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": secret,
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/totp_setup.html", context)


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Act for another of one's own memberships (someone else's looks like a missing one)."""
    try:
        membership_id = int(request.POST.get("membership_id", ""))
    except ValueError:
        membership_id = 0
    membership = services.membership_switch(
        actor=request.actor,  # type: ignore[attr-defined]
        membership_id=membership_id,
        session=request.session,
    )
    messages.success(
        request,
        _("You now act for %(organisation)s as %(role)s.")
        % {"organisation": membership.organisation.name, "role": membership.get_role_display()},
    )
    return HttpResponseRedirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context = {
        "profile_user": user,
        "memberships": selectors.user_memberships(user),
        "totp_confirmed": selectors.has_confirmed_totp(user),
        "totp_required": selectors.requires_totp(user),
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        user = services.user_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        services.user_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        # The lockout page tells people to reset their password: make that true.
        services.user_lockout_clear(user=form.user, reason="password_reset")
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
