"""Template context shared by every page: the actor, their memberships, navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from zhengcai.web.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "nav_items": navigation_for(actor) if actor is not None else [],
        "platform_name": settings.PLATFORM_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
