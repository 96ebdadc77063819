"""Catalogue pages: the public list of codes, and the lookup fragment for forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengcai.catalogue.selectors import catalogue_rows, catalogue_search


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The procurement catalogue (public reference data), searchable by code or name."""
    q = request.GET.get("q", "")
    return render(request, "catalogue/index.html", {"rows": catalogue_rows(q), "q": q})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Options for the item code field: ``?q=`` or the value of any ``*catalogue_code`` field."""
    q = request.GET.get("q", "")
    if not q:
        q = next((str(v) for k, v in request.GET.items() if k.endswith("catalogue_code")), "")
    return render(request, "catalogue/_options.html", {"items": catalogue_search(q)})
