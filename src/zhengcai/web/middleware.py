"""The edge: the page language, and domain errors as pages or htmx fragments, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from zhengcai.core.errors import DomainError


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Pages speak Simplified Chinese unless the person chose otherwise with the switch.

    The browser's Accept-Language is ignored for pages: a clerk on an English-language
    browser still gets the platform in Chinese until they pick English, and the choice (the
    language cookie) sticks. The JSON API keeps honouring Accept-Language for its messages.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(tuple(settings.ACCEPT_LANGUAGE_PATH_PREFIXES)):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
