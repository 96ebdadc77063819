"""``manage.py search_rebuild``: re-create the e-mall search index from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengcai.shop.indexer import IndexBusy, index_rebuild, index_sync


class Command(BaseCommand):
    help = "Rebuild the e-mall search index from every listed listing (or, with --sync, only the stale ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sync", action="store_true", help="Only index listings flagged as changed.")
        parser.add_argument("--threads", type=int, default=2, help="Indexing threads for a rebuild.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["sync"]:
                done = index_sync()
                self.stdout.write(f"Search index: {done} changed listing(s) synced.")
                return
            report = index_rebuild(threads=options["threads"])
        except IndexBusy as exc:
            raise CommandError(f"the search index is being written by another process: {exc}") from exc
        self.stdout.write(
            f"Search index rebuilt: {report.documents} documents in {report.seconds:.1f} s, "
            f"{report.size_bytes / 1e6:.1f} MB on disk."
        )
