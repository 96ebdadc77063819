"""Audit trail pages: the public list of daily head hashes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhengcai.audit import selectors


@login_not_required
def public_heads(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/public_heads.html", {"anchors": selectors.published_heads()[:366]})
