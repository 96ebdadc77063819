"""The edge: the page language, domain errors as pages or htmx fragments (never a 500), and
htmx-safe redirects and error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

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
        if getattr(request, "htmx", False):
            return htmx_error_fragment(request, exception, status=exception.status)
        return render(request, "web/error.html", {"error": exception}, status=exception.status)


# Messages for a whole error page that answered an htmx request: the fragment says the gist
# in the messages area instead of swapping the page's shell into a list.
_HTMX_ERROR_MESSAGES = {
    400: (
        "bad_request",
        _("The request could not be understood by the server. Go back, reload the page and try again."),
    ),
    403: (
        "forbidden",
        _("You are not allowed to do this with the organisation and role you are currently acting for."),
    ),
    404: ("not_found", _("Page not found")),
}
_HTMX_ERROR_DEFAULT = ("error", _("This could not be done. Reload the page and try again."))

# Pages an htmx request may be sent to by the login and TOTP checks; the browser must open
# them as whole pages.
_LOGIN_STEPS = frozenset({("accounts", "login"), ("accounts", "totp_verify"), ("accounts", "totp_setup")})


@dataclass(frozen=True)
class FragmentError:
    """What web/_error_fragment.html shows when there is no DomainError to show."""

    code: str
    message: str


def htmx_error_fragment(request: HttpRequest, error: object, *, status: int) -> HttpResponse:
    """An alert for the page's ``#messages`` area, whatever element made the htmx request."""
    response = render(request, "web/_error_fragment.html", {"error": error}, status=status)
    response["HX-Retarget"] = "#messages"
    response["HX-Reswap"] = "innerHTML"
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_html(response: HttpResponse) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _same_site_path(request: HttpRequest, url: str) -> str:
    """``url`` as path and query if it points into this site, else ""."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login_step_redirect(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
    """An htmx request redirected to log in (again) or to the TOTP step navigates the browser.

    Otherwise htmx would follow the redirect itself and swap the login page into the element
    that asked for a fragment. ``next`` becomes the page the person was looking at: the
    fragment's own URL is often POST-only or half a page.
    """
    location = response.get("Location", "")
    parts = urlsplit(location)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if (match.namespace, match.url_name) not in _LOGIN_STEPS:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != REDIRECT_FIELD_NAME]
    if back := _same_site_path(request, request.headers.get("HX-Current-URL", "")):
        query.append((REDIRECT_FIELD_NAME, back))
    return HttpResponseClientRedirect(urlunsplit(("", "", parts.path, urlencode(query), "")))


def _method_not_allowed_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
    shown = [m for m in allowed if m not in ("HEAD", "OPTIONS")] or allowed
    if _is_htmx(request):
        message = _("This address cannot be opened directly")
        page = htmx_error_fragment(request, FragmentError("method_not_allowed", str(message)), status=405)
    else:
        back = _same_site_path(request, request.headers.get("Referer", ""))
        if back == request.get_full_path():
            back = ""
        page = render(request, "405.html", {"allowed_methods": shown, "back_url": back}, status=405)
    page["Allow"] = response["Allow"]
    return page


class HtmlEdgeMiddleware:
    """Pages and htmx fragments never show a blank or misplaced response.

    - A 405 without a body (``require_POST`` and friends) becomes a translated page that
      names the allowed method and links back; the ``Allow`` header is kept. The JSON API
      (``/api/``) answers for itself.
    - For htmx requests, a redirect to the login or TOTP step becomes ``HX-Redirect`` (200),
      and a whole 4xx error page becomes an alert fragment for ``#messages`` (htmx is
      configured in base.html to swap 4xx responses). Responses that already chose their
      target (``HX-Retarget``/``HX-Reswap``, e.g. domain errors) are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            return response
        status = response.status_code
        if status == 405 and not response.streaming and not response.content:
            return _method_not_allowed_page(request, response)
        if not _is_htmx(request):
            return response
        if status in (301, 302, 303, 307, 308):
            return _login_step_redirect(request, response) or response
        if 400 <= status < 500 and _is_html(response) and "HX-Retarget" not in response and "HX-Reswap" not in response:
            code, message = _HTMX_ERROR_MESSAGES.get(status, _HTMX_ERROR_DEFAULT)
            fragment = htmx_error_fragment(request, FragmentError(code, str(message)), status=status)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    fragment[header] = response[header]
            return fragment
        return response
