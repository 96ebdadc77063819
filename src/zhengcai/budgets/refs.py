"""How a ledger reference ("plan:11", "order:55") is shown to people.

The ledger keys reservations and commitments by a reference owned by a higher app (plans,
the mall, tendering), which budgets must not import. Those apps register how their
references read ("plan:11" -> "CG2026-000011") when they start; an unregistered reference
is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_LABELLERS: dict[str, Callable[[str], str | None]] = {}
# Prefixes whose commitments are driven by their owning app (the mall's orders accept on the
# order page); budgets' own pages and API do not record their acceptance.
_MANAGED: set[str] = set()


def ref_labeller_register(prefix: str, labeller: Callable[[str], str | None]) -> None:
    """``labeller`` gets the part after "<prefix>:" and returns the label, or None if unknown."""
    _LABELLERS[prefix] = labeller


def ref_managed_register(prefix: str) -> None:
    """Commitments whose ``commitment_ref`` starts with "<prefix>:" are accepted by their owner."""
    _MANAGED.add(prefix)


def ref_is_managed(ref: str) -> bool:
    prefix, sep, _rest = (ref or "").partition(":")
    return bool(sep) and prefix in _MANAGED


def ref_label(ref: str) -> str:
    prefix, sep, rest = (ref or "").partition(":")
    labeller = _LABELLERS.get(prefix) if sep else None
    label = labeller(rest) if labeller is not None else None
    return label or ref


def ref_labels(refs: Iterable[str]) -> dict[str, str]:
    """Labels of many references, each distinct one looked up once (for ledger pages)."""
    return {ref: ref_label(ref) for ref in set(refs)}
