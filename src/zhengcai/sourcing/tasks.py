"""Background work for sourcing: the sweeper that closes what the clock has ended."""

from __future__ import annotations

import logging

from zhengcai.sourcing.outcomes import due_event_ids, sourcing_settle

logger = logging.getLogger(__name__)


def sourcing_sweep() -> int:
    """Close (or fail) every open inquiry and auction past its deadline; returns how many.

    An inquiry is only closed: the purchaser checks the quotes (compliance) and confirms the
    award. An auction that closes with enough bidders is awarded at once to the lowest bid
    (nothing is left to judge); see ``outcomes._auto_award``. Idempotent: each event is
    settled under its row lock, and one already settled is left alone.
    """
    changed = 0
    for event_id in due_event_ids():
        event = sourcing_settle(event_id=event_id)
        if event is not None and event.closed_at is not None:
            changed += 1
    if changed:
        logger.info("Sourcing sweep closed %d inquiry/auction(s)", changed)
    return changed
