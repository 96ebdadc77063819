"""Permission policies: one per app, answering both questions from one place.

- ``can(actor, action, obj)``: may this actor do this to this object (or in general)?
- ``visible(actor, queryset)``: which of these objects may this actor see?

``get_visible(...)`` combines them the way every view must: an object that does not exist
and one that is not the actor's raise the same ``NotFound``, so nobody learns what exists.
"""

from __future__ import annotations

import abc
from typing import Any, Generic, TypeVar

from django.db import models

from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted

M = TypeVar("M", bound=models.Model)


class Policy(abc.ABC, Generic[M]):
    @abc.abstractmethod
    def visible(self, actor: Actor, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """Narrow ``queryset`` to the rows ``actor`` may see."""

    @abc.abstractmethod
    def can(self, actor: Actor, action: str, obj: M | None = None) -> bool:
        """Whether ``actor`` may perform ``action`` (on ``obj`` when given)."""

    def require(self, actor: Actor, action: str, obj: M | None = None) -> None:
        if not self.can(actor, action, obj):
            raise NotPermitted()

    def get_visible(self, actor: Actor, queryset: models.QuerySet[M], **lookup: Any) -> M:
        obj = self.visible(actor, queryset).filter(**lookup).first()
        if obj is None:
            raise NotFound()
        return obj
