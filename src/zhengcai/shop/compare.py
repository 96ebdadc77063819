"""The comparison list (商品对比): up to four listing ids kept in the session."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhengcai.core.errors import ValidationFailed

MAX_COMPARE = 4
SESSION_KEY = "shop_compare"


def compare_ids(session: Any) -> list[int]:
    return [int(pk) for pk in session.get(SESSION_KEY, []) if str(pk).isdigit()][:MAX_COMPARE]


def compare_add(session: Any, listing_id: int) -> list[int]:
    """Add a listing; refuses a fifth with a message (nothing changes)."""
    ids = compare_ids(session)
    if listing_id in ids:
        return ids
    if len(ids) >= MAX_COMPARE:
        message = _("You can compare at most %(n)s products; remove one first.") % {"n": MAX_COMPARE}
        raise ValidationFailed(message, code="compare_full", fields={"listing": [message]})
    ids.append(listing_id)
    session[SESSION_KEY] = ids
    return ids


def compare_remove(session: Any, listing_id: int) -> list[int]:
    ids = [pk for pk in compare_ids(session) if pk != listing_id]
    session[SESSION_KEY] = ids
    return ids


def compare_clear(session: Any) -> None:
    session[SESSION_KEY] = []
