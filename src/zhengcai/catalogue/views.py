"""Catalogue lookup for forms: an htmx fragment of matching codes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengcai.catalogue.selectors import catalogue_search


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Options for the item code field: ``?q=`` or the value of any ``*catalogue_code`` field."""
    q = request.GET.get("q", "")
    if not q:
        q = next((str(v) for k, v in request.GET.items() if k.endswith("catalogue_code")), "")
    return render(request, "catalogue/_options.html", {"items": catalogue_search(q)})
