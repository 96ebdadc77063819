"""Thin views for the shell: the per-role home dashboard and the CSRF failure page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from zhengcai.web.dashboards import dashboard_for


def home(request: HttpRequest) -> HttpResponse:
    dashboard = dashboard_for(request.actor, request.user)  # type: ignore[attr-defined]
    return render(request, "web/home.html", {"dashboard": dashboard})


@login_not_required
@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page shown when a form's CSRF check fails (settings.CSRF_FAILURE_VIEW)."""
    body = loader.render_to_string("403_csrf.html", {"reason": reason}, request)
    return HttpResponseForbidden(body)
