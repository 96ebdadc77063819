"""Explicit state machines: a status field, a table of named transitions, one helper.

Each app declares its machine next to its status enum in ``states.py``::

    PLAN_MACHINE = StateMachine(
        Transition("file", {PlanStatus.DRAFT}, PlanStatus.FILED),
        Transition("cancel", {PlanStatus.DRAFT, PlanStatus.FILED}, PlanStatus.CANCELLED),
    )

and a service calls ``PLAN_MACHINE.apply(plan, "file")``: the status changes only along a
declared edge, anything else raises ``InvalidTransition`` with a translated message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import InvalidTransition


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str

    def __init__(self, action: str, sources: Iterable[str], target: str) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))


class StateMachine:
    def __init__(self, *transitions: Transition, field: str = "status") -> None:
        self.field = field
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"duplicate transition {t.action!r}")
            self.transitions[t.action] = t

    def allowed_actions(self, status: str) -> list[str]:
        return [a for a, t in self.transitions.items() if str(status) in t.sources]

    def can(self, status: str, action: str) -> bool:
        t = self.transitions.get(action)
        return t is not None and str(status) in t.sources

    def apply(self, obj: Any, action: str) -> tuple[str, str]:
        """Move ``obj`` along ``action``; return (old, new). Does not save."""
        current = str(getattr(obj, self.field))
        t = self.transitions.get(action)
        if t is None or current not in t.sources:
            raise InvalidTransition(
                _("“%(action)s” is not possible while the status is “%(status)s”.")
                % {"action": action, "status": _status_label(obj, self.field, current)},
                params={"action": action, "status": current},
            )
        setattr(obj, self.field, t.target)
        return current, t.target


def _status_label(obj: Any, field: str, value: str) -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display()) if callable(display) else value
