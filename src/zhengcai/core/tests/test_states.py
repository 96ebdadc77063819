"""The state-machine helper every app's status field goes through."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import models
from django.utils import translation

from zhengcai.core.errors import InvalidTransition
from zhengcai.core.states import StateMachine, Transition


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    FILED = "filed", "Filed"
    CANCELLED = "cancelled", "Cancelled"


MACHINE = StateMachine(
    Transition("file", {Status.DRAFT}, Status.FILED),
    Transition("cancel", {Status.DRAFT, Status.FILED}, Status.CANCELLED),
)


@dataclass
class Thing:
    status: str

    def get_status_display(self) -> str:
        return Status(self.status).label


@dataclass
class Plain:
    state: str


def test_apply_moves_along_a_declared_edge() -> None:
    thing = Thing(Status.DRAFT)
    assert MACHINE.apply(thing, "file") == ("draft", "filed")
    assert thing.status == "filed"
    assert MACHINE.apply(thing, "cancel") == ("filed", "cancelled")


def test_illegal_transition_raises_and_changes_nothing() -> None:
    thing = Thing(Status.CANCELLED)
    with translation.override("en"), pytest.raises(InvalidTransition) as err:
        MACHINE.apply(thing, "file")
    assert thing.status == "cancelled"
    assert err.value.code == "invalid_transition"
    assert err.value.status == 409
    assert err.value.params == {"action": "file", "status": "cancelled"}
    assert "Cancelled" in str(err.value.message)


def test_unknown_action_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition):
        MACHINE.apply(Thing(Status.DRAFT), "approve")


def test_allowed_actions_and_can() -> None:
    assert MACHINE.allowed_actions(Status.DRAFT) == ["file", "cancel"]
    assert MACHINE.allowed_actions(Status.CANCELLED) == []
    assert MACHINE.can(Status.FILED, "cancel")
    assert not MACHINE.can(Status.FILED, "file")
    assert not MACHINE.can(Status.FILED, "nope")


def test_custom_field_and_label_fallback() -> None:
    machine = StateMachine(Transition("go", {"a"}, "b"), field="state")
    obj = Plain("a")
    machine.apply(obj, "go")
    assert obj.state == "b"
    with pytest.raises(InvalidTransition) as err:
        machine.apply(obj, "go")
    assert err.value.params["status"] == "b"


def test_duplicate_actions_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        StateMachine(Transition("go", {"a"}, "b"), Transition("go", {"b"}, "c"))


def test_transition_normalises_sources_to_strings() -> None:
    t = Transition("file", [Status.DRAFT], Status.FILED)
    assert t.sources == frozenset({"draft"})
    assert t.target == "filed"
