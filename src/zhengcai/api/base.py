"""Our NinjaAPI: authentication by default, one error format, no login redirects.

``ZhengcaiAPI`` is the class of the one API instance in ``api/root.py``; tests build
throwaway instances of it to exercise the error handlers with endpoints of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from zhengcai.api.auth import DEFAULT_AUTH, credentials_in_query
from zhengcai.api.docs import LocalSwagger
from zhengcai.api.errors import MethodNotAllowedError, TokenInUrlError, domain_error_response, install_error_handlers
from zhengcai.api.pagination import PaginationBoundsParser
from zhengcai.core.errors import NotFound

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable, e.g. not_found."},
                "message": {"type": "string", "description": "For people, in the request's language."},
                "fields": {
                    "type": "object",
                    "description": "Per-field messages for invalid input.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def api_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap every URL of the API.

    - Authentication is the API's job, so Django's LoginRequiredMiddleware must not redirect
      API calls to the login page (``login_required = False``).
    - Credentials in the URL are refused before anything else looks at the request.
    - A wrong method gets the error format instead of an empty 405.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if credentials_in_query(request):
            return domain_error_response(TokenInUrlError())
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = domain_error_response(MethodNotAllowedError())
            response["Allow"] = allowed
        return response

    wrapper.login_required = False  # type: ignore[attr-defined]
    return wrapper


# The schema and the Swagger page: read-only, public, and served in the error format for
# any other method.
DOCS_URL_NAMES = frozenset({"openapi-json", "openapi-view"})
SAFE_METHODS = ("GET", "HEAD")


def read_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve GET and HEAD; anything else is 405 ``method_not_allowed`` with an ``Allow`` header.

    Exempt from Django's CSRF check, which would otherwise answer an unsafe method with its
    HTML 403 page before the API sees the request: the view never acts on such a request.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return HttpResponseNotAllowed(SAFE_METHODS)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under the API root that no endpoint serves."""
    return domain_error_response(NotFound())


# It changes nothing, and a token client's POST to a wrong path deserves a 404 in our
# format rather than Django's HTML CSRF page.
not_found.csrf_exempt = True  # type: ignore[attr-defined]


class ZhengcaiAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("auth", DEFAULT_AUTH)
        kwargs.setdefault("docs", LocalSwagger())
        kwargs.setdefault("parser", PaginationBoundsParser())
        super().__init__(**kwargs)
        install_error_handlers(self)

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """The schema, with the error format documented as every operation's default response."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error_response = {
            "description": "Error (see the code and message)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("default", error_response)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                # ninja's root view answers with an HTML 404; ours keeps the name (ninja
                # reverses it to find the path prefix) and answers in the error format.
                pattern.callback = not_found
            if isinstance(pattern, URLPattern) and pattern.name in DOCS_URL_NAMES:
                pattern.callback = read_only(pattern.callback)
            if isinstance(pattern, URLPattern):
                pattern.callback = api_view(pattern.callback)
            patterns.append(pattern)
        patterns.append(re_path(r"^.+$", api_view(not_found), name="api-not-found"))
        return patterns
