"""The API token management page: list, create (secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengcai.api import selectors, services
from zhengcai.api.forms import TokenCreateForm
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _page(request: HttpRequest, *, form: TokenCreateForm, secret: str = "", status: int = 200) -> HttpResponse:
    actor = _actor(request)
    context = {
        "tokens": selectors.token_list(actor=actor).select_related("created_by", "revoked_by"),
        "can_manage": selectors.token_can_manage(actor=actor),
        "form": form,
        "secret": secret,
    }
    response = render(request, "api/tokens.html", context, status=status)
    if secret:
        # The page holding a secret must not linger in any cache.
        response["Cache-Control"] = "no-store"
    return response


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, form=TokenCreateForm())


@never_cache
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        token, secret = services.token_create(actor=_actor(request), name=form.cleaned_data["name"])
    except DomainError as exc:
        if not exc.fields:
            raise
        for field, errors in exc.fields.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, str(error))
        return _page(request, form=form, status=exc.status)
    messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
    # Rendered, not redirected: the secret exists only in this response.
    return _page(request, form=TokenCreateForm(), secret=secret)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.token_revoke(actor=_actor(request), token_id=token_id)
    messages.success(request, _("Token “%(name)s” revoked; it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
