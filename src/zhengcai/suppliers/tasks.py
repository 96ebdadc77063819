"""Background work for suppliers: the qualification expiry sweep (资质到期)."""

from __future__ import annotations

from zhengcai.suppliers.services import qualification_sweep as _sweep


def qualification_sweep() -> int:
    """Warn of documents about to expire (once each) and suspend suppliers whose required
    documents have lapsed. Idempotent; called by the worker every sweep. Returns how many
    warnings and suspensions it made."""
    done = _sweep()
    return done["warned"] + done["suspended"]
