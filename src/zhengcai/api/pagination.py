"""The API's one pagination convention: ``?limit=&offset=`` -> ``{"items": [...], "count": n}``.

Use it on list endpoints with ``@paginate(Pagination)`` (from ``ninja.pagination``); the
queryset must have a stable order (add ``pk`` as the last ordering key).
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items (1-200).")
    offset: int = Field(0, ge=0, description="How many items to skip.")


class Pagination(LimitOffsetPagination):
    Input = PageParams  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_limit", MAX_LIMIT)
        super().__init__(**kwargs)
