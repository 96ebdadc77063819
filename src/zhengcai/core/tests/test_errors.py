"""Domain errors: stable codes, statuses and translated messages."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
)


@pytest.mark.parametrize(
    ("cls", "code", "status"),
    [
        (DomainError, "domain_error", 400),
        (ValidationFailed, "validation_failed", 400),
        (NotFound, "not_found", 404),
        (NotPermitted, "not_permitted", 403),
        (InvalidTransition, "invalid_transition", 409),
        (Conflict, "conflict", 409),
        (DeadlinePassed, "deadline_passed", 409),
    ],
)
def test_codes_and_statuses(cls: type[DomainError], code: str, status: int) -> None:
    err = cls()
    assert err.code == code
    assert err.status == status
    assert str(err.message)
    assert err.as_dict() == {"code": code, "message": str(err.default_message)}
    assert issubclass(cls, DomainError)


def test_message_code_fields_and_params() -> None:
    err = ValidationFailed(
        _("Not found."), code="custom", params={"n": 3}, fields={"amount": [_("Not found."), "plain"]}
    )
    assert err.code == "custom"
    assert ValidationFailed.code == "validation_failed"  # the class default is untouched
    with translation.override("en"):
        assert err.as_dict() == {
            "code": "custom",
            "message": "Not found.",
            "fields": {"amount": ["Not found.", "plain"]},
            "params": {"n": "3"},
        }


def test_not_found_looks_the_same_whatever_the_cause() -> None:
    assert NotFound().as_dict() == NotFound().as_dict()


def test_errors_are_raisable_exceptions() -> None:
    with pytest.raises(DomainError, match=r"\S"):
        raise Conflict()
