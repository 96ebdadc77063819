"""``manage.py worker``: runs queued tasks and the sweepers; one broken sweeper hurts nobody."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from zhengcai.accounts.tests.factories import UserFactory, make_actor
from zhengcai.core.management.commands.worker import Sweepers, SweeperThread
from zhengcai.notify.models import Notification
from zhengcai.notify.services import notification_send

CALLS: list[str] = []


def recording_sweeper() -> None:
    CALLS.append("swept")


def failing_sweeper() -> None:
    raise RuntimeError("sweeper exploded")


HERE = "zhengcai.notify.tests.test_worker"


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_batch_worker_delivers_enqueued_notification_and_calls_sweepers(caplog):
    user = UserFactory()
    with transaction.atomic():
        notification_send(actor=make_actor(), recipients=[user], title="Contract signed", key="contract:9:signed")
    assert DBTaskResult.objects.count() == 1
    assert Notification.objects.count() == 0

    sweepers = [f"{HERE}.recording_sweeper", "zhengcai.nowhere.tasks.missing_sweep", f"{HERE}.failing_sweeper"]
    with override_settings(SWEEPERS=sweepers):
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    assert Notification.objects.get().title == "Contract signed"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert CALLS == ["swept"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("zhengcai.nowhere.tasks.missing_sweep cannot be imported" in m for m in messages)
    assert any(f"{HERE}.failing_sweeper failed" in m for m in messages)


@pytest.mark.django_db(transaction=True)
def test_worker_no_sweep_only_runs_tasks():
    with override_settings(SWEEPERS=[f"{HERE}.recording_sweeper"]):
        call_command("worker", "--batch", "--no-startup-delay", "--no-sweep", verbosity=0)
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_import_error_is_logged_once_and_others_keep_running(caplog):
    sweepers = Sweepers(["zhengcai.nowhere.missing", f"{HERE}.failing_sweeper", f"{HERE}.recording_sweeper"])
    sweepers.run_once()
    sweepers.run_once()
    assert CALLS == ["swept", "swept"]
    import_errors = [r for r in caplog.records if "cannot be imported" in r.getMessage()]
    assert len(import_errors) == 1
    assert len([r for r in caplog.records if "failing_sweeper failed" in r.getMessage()]) == 2


@pytest.mark.django_db(transaction=True)
def test_sweeper_thread_repeats_until_stopped():
    swept_twice = threading.Event()

    class Counting(Sweepers):
        def run_once(self) -> None:
            super().run_once()
            if len(CALLS) >= 2:
                swept_twice.set()

    thread = SweeperThread(Counting([f"{HERE}.recording_sweeper"]), interval=0.01)
    thread.start()
    assert swept_twice.wait(timeout=10)
    thread.stop(timeout=10)
    assert not thread.is_alive()
