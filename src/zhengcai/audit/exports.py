"""Exports of the filtered audit events: CSV streamed row by row, Excel up to a cap.

Both carry every hashed field, as hashed, and both hashes, so anyone holding an export can
recompute the chain over the rows it contains (``chain.event_hash``): the time is the UTC
string that went into the hash (``chain.hashed_time``), written as text, never as a
spreadsheet date (which would drop the microseconds and the time zone).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from zhengcai.audit.chain import hashed_time
from zhengcai.audit.models import AuditEvent

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
# Excel needs the whole workbook before it can be sent; beyond this, export CSV.
XLSX_MAX_ROWS = 100_000
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Sequence"),
        _("Time (UTC, as hashed)"),
        _("Actor ID"),
        _("Actor"),
        _("Organisation ID"),
        _("Region code"),
        _("Action"),
        _("Object type"),
        _("Object ID"),
        _("Data (JSON)"),
        _("Previous hash"),
        _("Hash"),
    ]


def _row(event: AuditEvent) -> list[Any]:
    return [
        event.seq,
        hashed_time(event.occurred_at),
        event.actor_id,
        event.actor_label,
        event.organisation_id,
        event.region_code,
        event.action,
        event.object_type,
        event.object_id,
        json.dumps(event.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        event.prev_hash,
        event.hash,
    ]


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for a streaming csv writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers())
    try:
        for event in events.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow([_defuse(v) for v in _row(event)])
    except Exception:
        # The status line has gone out already: end with a row no reader can take for an
        # event, so a cut-off export never looks complete.
        logger.exception("audit CSV export failed mid-stream")
        yield writer.writerow([_("EXPORT INCOMPLETE: an error stopped it; the rows above are not all the events.")])
        raise


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """CSV lines (with a BOM so spreadsheet programs read UTF-8), streamed from the database.

    Runs the query and reads the first row before returning, so that a query that fails
    fails here, while the view can still answer with an error status, rather than after a
    200 and a header row.
    """
    lines = _csv_lines(events)
    primed = list(itertools.islice(lines, 2))
    return itertools.chain(primed, lines)


def _xlsx_cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # text stays text, never a formula
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


def xlsx_bytes(events: QuerySet[AuditEvent], *, max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """An Excel workbook of at most ``max_rows`` events, with a note when it was cut short."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Audit events")[:31])
    sheet.append(_xlsx_cells(sheet, headers()))
    for written, event in enumerate(events[: max_rows + 1].iterator(chunk_size=CHUNK_SIZE)):
        if written == max_rows:
            note = _("Only the first %(count)s events are included; export CSV for all of them.") % {"count": max_rows}
            sheet.append(_xlsx_cells(sheet, [note]))
            break
        sheet.append(_xlsx_cells(sheet, _row(event)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
