"""Demo data for this app (idempotent); called by ``web.demo.seed_demo``."""

from __future__ import annotations

from zhengcai.core.actor import Actor


def seed_demo(*, actor: Actor) -> int:
    """Create this app's demo data unless it is there; return how many things were created."""
    return 0
