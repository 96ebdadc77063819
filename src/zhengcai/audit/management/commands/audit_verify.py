"""``manage.py audit_verify``: check the whole audit chain; exit non-zero if it is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengcai.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail, its head and the published daily anchors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100_000,
            help="Print a progress line every N events (0: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["progress_every"]

        def progress(checked: int) -> None:
            self.stdout.write(f"  ... {checked} events checked")

        result = verify_chain(progress=progress if every > 0 else None, progress_every=max(every, 1))
        self.stdout.write(f"Events checked:  {result.checked}")
        self.stdout.write(f"Head:            seq {result.head_seq}  {result.head_hash}")
        self.stdout.write(f"Anchors checked: {result.anchors_checked}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("OK: the audit chain is intact."))
            return
        assert result.broken is not None
        line = f"BROKEN at seq {result.broken.seq}: {result.broken.message} [{result.broken.reason}]"
        self.stdout.write(self.style.ERROR(line))
        raise CommandError(f"audit chain broken at seq {result.broken.seq}: {result.broken.message}", returncode=1)
