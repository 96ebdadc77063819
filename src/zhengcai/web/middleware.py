"""The edge: domain errors become pages, htmx fragments or JSON, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhengcai.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        template = "web/_error_fragment.html" if getattr(request, "htmx", False) else "web/error.html"
        response = render(request, template, {"error": exception}, status=exception.status)
        if getattr(request, "htmx", False):
            # Show the message where the page expects errors, whatever the request targeted.
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
        return response
