"""``manage.py worker``: the background worker — queued tasks plus the periodic sweepers.

Runs the django-tasks database worker loop in the main thread and, in a daemon thread,
calls every import path in ``settings.SWEEPERS`` every ``settings.SWEEP_SECONDS``. Each
sweeper derives what is due from the clock and is idempotent, so a sweep that fails or is
skipped is simply made up by the next one. Ctrl-C / SIGTERM stops both cleanly: the task
being run finishes, the sweeper thread finishes its current sweep.

``--batch`` runs every queued task, then each sweeper once, and exits (tests, cron).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("zhengcai.worker")

_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None)


class Sweepers:
    """The configured sweepers, resolved once; a path that does not import is logged once and skipped."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = list(paths)
        self._resolved: dict[str, Callable[[], Any]] = {}
        self._broken: set[str] = set()

    def _resolve(self, path: str) -> Callable[[], Any] | None:
        if path in self._broken:
            return None
        if path not in self._resolved:
            try:
                self._resolved[path] = import_string(path)
            except ImportError:
                logger.exception("Sweeper %s cannot be imported; it is skipped until the worker restarts", path)
                self._broken.add(path)
                return None
        return self._resolved[path]

    def run_once(self) -> None:
        """Call every sweeper once; one failing sweeper does not stop the others."""
        for path in self.paths:
            sweeper = self._resolve(path)
            if sweeper is None:
                continue
            try:
                sweeper()
            except Exception:
                logger.exception("Sweeper %s failed; it runs again at the next sweep", path)
            finally:
                # A sweeper may leave a broken or stale connection behind; never carry it over.
                close_old_connections()


class SweeperThread(threading.Thread):
    def __init__(self, sweepers: Sweepers, interval: float) -> None:
        super().__init__(name="zhengcai-sweeper", daemon=True)
        self.sweepers = sweepers
        self.interval = interval
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sweepers.run_once()
            # Connections are per thread: close this thread's so none sits idle between sweeps.
            connections.close_all()
            self.stop_event.wait(self.interval)

    def stop(self, timeout: float) -> None:
        self.stop_event.set()
        self.join(timeout)


class SweepingWorker(Worker):
    """The django-tasks-db worker, stopping the sweeper thread when it is asked to stop."""

    def __init__(self, *, on_stop: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_stop = on_stop

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        self.on_stop()
        super().shutdown(signum, frame)


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and the periodic sweepers (settings.SWEEPERS)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Reuse django-tasks-db's options (queues, interval, batch, backend, max tasks, id ...).
        DbWorkerCommand().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=get_random_string(32))
        parser.add_argument(
            "--sweep-seconds",
            type=float,
            default=None,
            help="Seconds between sweeps (default: settings.SWEEP_SECONDS).",
        )
        parser.add_argument("--no-sweep", action="store_true", help="Run queued tasks only, no sweepers.")

    def handle(self, *args: Any, **options: Any) -> None:
        db_worker = DbWorkerCommand()
        db_worker.stdout, db_worker.stderr = self.stdout, self.stderr
        db_worker.configure_logging(options["verbosity"])
        if options.get("reload"):
            logger.warning("--reload is not supported by the worker; ignoring it.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        sweepers = Sweepers([] if options["no_sweep"] else settings.SWEEPERS)
        interval = options["sweep_seconds"] if options["sweep_seconds"] is not None else settings.SWEEP_SECONDS
        thread = SweeperThread(sweepers, float(interval))
        worker = SweepingWorker(
            on_stop=thread.stop_event.set,
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["batch"]:
            self._run_batch(worker, sweepers)
            return
        previous = {s: signal.getsignal(s) for s in _SIGNALS}
        worker.configure_signals()
        if sweepers.paths:
            thread.start()
        logger.info("Worker started: sweeping %d sweeper(s) every %ss", len(sweepers.paths), interval)
        try:
            worker.run()
        except SystemExit:
            # The worker's signal handler exits this way when it is idle; that is a clean stop.
            pass
        finally:
            self._stop(thread, interval)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            connections.close_all()
        logger.info("Worker stopped.")

    def _run_batch(self, worker: Worker, sweepers: Sweepers) -> None:
        worker.run()
        sweepers.run_once()

    @staticmethod
    def _stop(thread: SweeperThread, interval: float) -> None:
        if thread.is_alive():
            # Let a sweep in progress finish (it is one transaction per item); do not wait forever.
            thread.stop(timeout=max(interval, 30.0))
