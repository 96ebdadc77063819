"""Domain errors: stable codes, translated messages, turned into responses only at the edge.

A service raises one of these; ``web.middleware.DomainErrorMiddleware`` and the API's
exception handler turn it into an HTTP response (a page, an htmx fragment or the JSON error
format). The code is stable and machine-readable; the message is for people.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message: Any = _("The request could not be carried out.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        fields: dict[str, list[Any]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.params = params or {}
        # Field errors: {"field_name": [message, ...]}, for forms and the API.
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.fields:
            data["fields"] = {k: [str(m) for m in v] for k, v in self.fields.items()}
        if self.params:
            data["params"] = {k: str(v) for k, v in self.params.items()}
        return data


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 400
    default_message = _("Some of the input is not valid.")


class NotFound(DomainError):
    """Missing and not yours look the same: both are this error, with the same message."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class NotPermitted(DomainError):
    code = "not_permitted"
    status = 403
    default_message = _("You are not allowed to do this.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("This action is not possible in the current status.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("The request conflicts with the current state.")


class DeadlinePassed(DomainError):
    code = "deadline_passed"
    status = 409
    default_message = _("The deadline has passed.")
