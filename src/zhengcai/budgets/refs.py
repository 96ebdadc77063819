"""How a ledger reference ("plan:11", "order:55") is shown to people.

The ledger keys reservations and commitments by a reference owned by a higher app (plans,
the mall, tendering), which budgets must not import. Those apps register how their
references read ("plan:11" -> "CG2026-000011") when they start; an unregistered reference
is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_LABELLERS: dict[str, Callable[[str], str | None]] = {}


def ref_labeller_register(prefix: str, labeller: Callable[[str], str | None]) -> None:
    """``labeller`` gets the part after "<prefix>:" and returns the label, or None if unknown."""
    _LABELLERS[prefix] = labeller


def ref_label(ref: str) -> str:
    prefix, sep, rest = (ref or "").partition(":")
    labeller = _LABELLERS.get(prefix) if sep else None
    label = labeller(rest) if labeller is not None else None
    return label or ref


def ref_labels(refs: Iterable[str]) -> dict[str, str]:
    """Labels of many references, each distinct one looked up once (for ledger pages)."""
    return {ref: ref_label(ref) for ref in set(refs)}
