"""One error format for the whole API: ``{"error": {"code", "message", "fields"?}}``.

Every exception an operation can raise ends here: domain errors keep their status and
stable code, ninja's validation errors become ``validation_failed`` with per-field
messages, authentication failures ``not_authenticated``, anything unexpected
``internal_error`` (logged with its traceback, which never reaches the client).
Messages are translated into the request's language (LocaleMiddleware is active).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from zhengcai.core.errors import DomainError, NotFound, NotPermitted, ValidationFailed

logger = logging.getLogger("zhengcai.api")


class NotAuthenticatedError(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _(
        "Authentication required: send a system token in the Authorization header "
        "(Authorization: Bearer zc_…) or log in."
    )


class InvalidTokenError(NotAuthenticatedError):
    default_message = _("The token is not valid: it is wrong, revoked, or its organisation is inactive.")


class TotpRequiredError(NotAuthenticatedError):
    code = "totp_required"
    default_message = _(
        "Complete the two-step login first: this session has passed the password step but not "
        "the authenticator (TOTP) code. Enter the code in the browser, or use a system token."
    )


class CsrfFailedError(DomainError):
    code = "csrf_failed"
    status = 403
    default_message = _(
        "The CSRF check failed: a request made with a browser session must send the X-CSRFToken header."
    )


class TokenInUrlError(DomainError):
    code = "token_in_url"
    status = 400
    default_message = _(
        "Credentials must never be sent in a URL, where they end up in logs and browser "
        "history. Send the token in the Authorization header (Authorization: Bearer zc_…)."
    )


class MethodNotAllowedError(DomainError):
    code = "method_not_allowed"
    status = 405
    default_message = _("This method is not allowed here.")


class ThrottledError(DomainError):
    code = "throttled"
    status = 429
    default_message = _("Too many requests; try again later.")


class InternalServerError(DomainError):
    code = "internal_error"
    status = 500
    default_message = _("An internal error occurred. It has been logged.")


# The start of the message of the ``HttpError`` ninja raises for a body it cannot parse.
UNPARSABLE_BODY = "Cannot parse request body"

# Status codes of a bare ``HttpError`` and the stable codes they stand for.
_HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "not_permitted",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
}

# Pydantic error types and our translated wording for them; anything else keeps pydantic's.
_PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": _("This field is required."),
    "string_type": _("Enter a text value."),
    "string_too_short": _("Ensure this value has at least %(min_length)s characters."),
    "string_too_long": _("Ensure this value has at most %(max_length)s characters."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "decimal_parsing": _("Enter a number."),
    "float_parsing": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": _("Enter a valid date and time (ISO 8601)."),
    "datetime_from_date_parsing": _("Enter a valid date and time (ISO 8601)."),
    "greater_than": _("Ensure this value is greater than %(gt)s."),
    "greater_than_equal": _("Ensure this value is greater than or equal to %(ge)s."),
    "less_than": _("Ensure this value is less than %(lt)s."),
    "less_than_equal": _("Ensure this value is less than or equal to %(le)s."),
    "enum": _("Select one of: %(expected)s."),
    "literal_error": _("Select one of: %(expected)s."),
    "json_invalid": _("The request body is not valid JSON."),
    "model_attributes_type": _("The request body must be a JSON object."),
    "dict_type": _("Enter a JSON object."),
    "list_type": _("Enter a list."),
    "uuid_parsing": _("Enter a valid UUID."),
}


def error_body(code: str, message: Any, fields: Mapping[str, list[Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
    return {"error": error}


def error_response(code: str, message: Any, status: int, fields: Mapping[str, list[Any]] | None = None) -> JsonResponse:
    """The error format as a plain Django response (for code paths outside ninja)."""
    response = JsonResponse(error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="zhengcai"'
    return response


def domain_error_response(exc: DomainError) -> JsonResponse:
    return error_response(exc.code, exc.message, exc.status, exc.fields)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "payload", "name")`` -> ``"name"``; ``("query", "limit")`` -> ``"limit"``.

    The source ("body", "query", "path") and the name of the body parameter are internal to
    the endpoint; the client knows the field by its JSON name.
    """
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "form", "file"} and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _pydantic_message(error: Mapping[str, Any]) -> str:
    template = _PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return str(template) % ctx if "%(" in str(template) else str(template)
    except (KeyError, ValueError):
        return str(error.get("msg", ""))


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if exc.status >= 500:
        logger.error("API domain error %s on %s %s", exc.code, request.method, request.path)
    return domain_error_response(exc)


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(ValidationFailed.code, ValidationFailed.default_message, 422, validation_fields(exc.errors))


def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields: dict[str, list[Any]] = {}
    if hasattr(exc, "error_dict"):
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    return error_response(ValidationFailed.code, ValidationFailed.default_message, 400, fields)


def _authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return domain_error_response(NotAuthenticatedError())


def _authorization(request: HttpRequest, exc: Exception) -> HttpResponse:
    return domain_error_response(NotPermitted())


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return domain_error_response(NotFound())


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = domain_error_response(ThrottledError())
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "csrf" in str(exc.message).lower():
        return domain_error_response(CsrfFailedError())
    # ninja appends the parser's exception in DEBUG ("Cannot parse request body (Expecting …)").
    if exc.status_code == 400 and str(exc.message).startswith(UNPARSABLE_BODY):
        return error_response("invalid_body", _("The request body could not be read: send valid JSON."), 400)
    code = _HTTP_CODES.get(exc.status_code, "http_error" if exc.status_code < 500 else "internal_error")
    return error_response(code, exc.message, exc.status_code)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the traceback for operators; the client learns only that it happened.
    logger.error("Unhandled API error on %s %s", request.method, request.path, exc_info=exc)
    return domain_error_response(InternalServerError())


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    Exception: _unexpected,
    DomainError: _domain,
    ValidationError: _validation,
    DjangoValidationError: _django_validation,
    AuthenticationError: _authentication,
    AuthorizationError: _authorization,
    PermissionDenied: _authorization,
    Http404: _not_found,
    Throttled: _throttled,
    HttpError: _http_error,
}


def install_error_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
