"""The API's one pagination convention: ``?limit=&offset=`` -> ``{"items": [...], "count": n}``.

Use it on list endpoints with ``@paginate(Pagination)`` (from ``ninja.pagination``); the
queryset must have a stable order (add ``pk`` as the last ordering key).

Whatever an endpoint declares, ``PaginationBoundsParser`` (the parser of every
``ZhengcaiAPI``) refuses a ``limit`` or ``offset`` outside ``0..MAX_OFFSET`` with 422: a
huge offset would otherwise reach the database (SQLite and PostgreSQL integers overflow)
and come back as a 500.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Far beyond any real list, well inside a 64-bit integer (and SQLite's) with a limit added.
MAX_OFFSET = 10**9

# Query parameter -> (smallest, largest) value any endpoint may receive.
PAGINATION_BOUNDS: dict[str, tuple[int, int]] = {"offset": (0, MAX_OFFSET), "limit": (1, MAX_OFFSET)}

_INT = TypeAdapter(int)


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items (1-200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip (at most 10⁹).")


class Pagination(LimitOffsetPagination):
    Input = PageParams  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_limit", MAX_LIMIT)
        super().__init__(**kwargs)


def pagination_bound_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Pydantic-style errors for ``limit``/``offset`` values outside ``PAGINATION_BOUNDS``.

    Values that are not whole numbers are left to the endpoint's own schema, which says so.
    """
    errors: list[dict[str, Any]] = []
    for name, (low, high) in PAGINATION_BOUNDS.items():
        if name not in data or isinstance(data[name], list):
            continue
        try:
            value = _INT.validate_python(data[name])
        except PydanticValidationError:
            continue
        if value < low:
            errors.append({"type": "greater_than_equal", "loc": ("query", name), "msg": "", "ctx": {"ge": low}})
        elif value > high:
            errors.append({"type": "less_than_equal", "loc": ("query", name), "msg": "", "ctx": {"le": high}})
    return errors


class PaginationBoundsParser(Parser):
    """ninja's JSON parser, refusing out-of-range pagination in any query string."""

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        parsed = super().parse_querydict(data, list_fields, request)
        errors = pagination_bound_errors(parsed)
        if errors:
            raise ValidationError(errors)
        return parsed
