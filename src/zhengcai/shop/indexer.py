"""The only writer of the search index: incremental sync from ``Listing.search_dirty`` and full rebuilds.

Listing services set ``search_dirty=True`` on every change. ``index_sync`` (a worker sweeper)
takes a batch of dirty ids, clears the flag, reads those rows and upserts/deletes their
documents, commits the index, and only then commits the database transaction: if anything
fails the rows stay dirty. A change made while a batch is being indexed sets the flag again
(on PostgreSQL it waits for our row locks), so the next sync picks it up.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.db import transaction

from zhengcai.listings import selectors as listing_selectors
from zhengcai.shop import selectors
from zhengcai.shop.engine import SCHEMA, SCHEMA_VERSION, index_dir, index_exists, make_document, open_for_writing

logger = logging.getLogger(__name__)

SYNC_BATCH = 1000
WRITER_HEAP = 256_000_000


class IndexBusy(Exception):
    """Another process holds the index writer (a rebuild is running)."""


@dataclass(frozen=True)
class RebuildReport:
    documents: int
    seconds: float
    size_bytes: int


def _writer(index: tantivy.Index, *, threads: int = 1) -> tantivy.IndexWriter:
    try:
        return index.writer(heap_size=WRITER_HEAP, num_threads=threads)
    except ValueError as exc:  # tantivy raises ValueError when the writer lock is taken
        raise IndexBusy(str(exc)) from exc


def index_sync(*, batch: int = SYNC_BATCH) -> int:
    """Bring the index up to date with every dirty listing; returns how many were processed."""
    done = 0
    index = None
    writer = None
    try:
        while True:
            with transaction.atomic():
                ids = listing_selectors.listings_dirty_ids(limit=batch)
                if not ids:
                    break
                if writer is None:
                    index = open_for_writing()
                    writer = _writer(index)
                listing_selectors.mark_indexed(ids)
                # By query: tantivy-py 0.27's delete_documents_by_term does not match unsigned fields.
                writer.delete_documents_by_query(tantivy.Query.term_set_query(SCHEMA, "id", ids))
                for row in selectors.index_rows(ids):
                    writer.add_document(make_document(row))
                writer.commit()
            done += len(ids)
            if len(ids) < batch:
                break
    finally:
        if writer is not None:
            writer.wait_merging_threads()
    if done:
        logger.info("Search index: %d listing(s) synced", done)
    return done


def search_index_sweep() -> int:
    """The worker's sweeper: ``index_sync`` unless a rebuild holds the writer.

    With no index for the current ``SCHEMA_VERSION`` (a fresh install, or an upgrade that
    changed the schema) it rebuilds the whole index first.
    """
    try:
        if not index_exists():
            report = index_rebuild(threads=1)
            logger.info("Search index v%s built: %d documents", SCHEMA_VERSION, report.documents)
            return report.documents
        return index_sync()
    except IndexBusy:
        logger.info("Search index busy (rebuild running); sync skipped")
        return 0


def dir_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def index_rebuild(*, threads: int = 2, progress_every: int = 0) -> RebuildReport:
    """Re-create every document from the database (``manage.py search_rebuild``).

    Clears every dirty flag first: a listing changed during the rebuild is flagged again and
    synced afterwards. Searches keep answering from the old documents until the commit.
    """
    started = time.perf_counter()
    index = open_for_writing()
    writer = _writer(index, threads=threads)
    try:
        with transaction.atomic():
            selectors.clear_all_dirty()
        writer.delete_all_documents()
        count = 0
        for row in selectors.index_rows():
            writer.add_document(make_document(row))
            count += 1
            if progress_every and count % progress_every == 0:
                logger.info("Search index rebuild: %d documents", count)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    return RebuildReport(documents=count, seconds=time.perf_counter() - started, size_bytes=dir_size(index_dir()))
