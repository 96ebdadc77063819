"""Thin views for the shell: the per-role home dashboard, the CSRF failure page, the favicon."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from zhengcai.web.dashboards import dashboard_for
from zhengcai.web.middleware import FragmentError, htmx_error_fragment


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, asked for by browsers (and feed readers) that ignore the <link rel=icon>."""
    response = HttpResponseRedirect(static("web/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request: HttpRequest) -> HttpResponse:
    dashboard = dashboard_for(request.actor, request.user)  # type: ignore[attr-defined]
    return render(request, "web/home.html", {"dashboard": dashboard})


@login_not_required
@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page shown when a form's CSRF check fails (settings.CSRF_FAILURE_VIEW); for htmx,
    the same advice as an alert in the page's messages area."""
    if request.headers.get("HX-Request") == "true":
        message = gettext("The form has expired: reload the page and try again. Nothing has been changed.")
        return htmx_error_fragment(request, FragmentError("csrf_failed", message), status=403)
    body = loader.render_to_string("403_csrf.html", {"reason": reason}, request)
    return HttpResponseForbidden(body)
