"""Loading budget lines from the budget system's export: CSV or Excel, all or nothing.

Every row is validated before anything is written; one bad row and nothing is imported,
and the caller gets a row-by-row report (row number as in the file, column, message).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from zhengcai.accounts.models import Organisation
from zhengcai.audit.services import audit_record
from zhengcai.budgets import permissions
from zhengcai.budgets.models import BudgetLine, FundSource
from zhengcai.budgets.services import LineData, line_create, line_data_clean
from zhengcai.core.actor import Actor
from zhengcai.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# Column key -> accepted headers (the English key itself, and the Chinese header of our template).
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "指标编号"),
    "source_system": ("source_system", "来源系统"),
    "fiscal_year": ("fiscal_year", "年度"),
    "budget_unit": ("budget_unit", "预算单位统一社会信用代码"),
    "functional_code": ("functional_code", "功能分类"),
    "economic_code": ("economic_code", "经济分类"),
    "fund_source": ("fund_source", "资金来源"),
    "project_code": ("project_code", "项目编码"),
    "project_name": ("project_name", "项目名称"),
    "amount": ("amount", "金额"),
}
REQUIRED = ("fiscal_year", "budget_unit", "functional_code", "economic_code", "project_name", "amount")
TEMPLATE_HEADERS = [names[1] for names in COLUMNS.values()]


@dataclass(frozen=True)
class RowError:
    row: int  # as in the file: the header is row 1
    column: str  # the column's header as written in the file (or the template's header)
    message: str


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_map(header: list[str]) -> tuple[dict[int, str], list[RowError]]:
    lookup = {name.strip().lower(): key for key, names in COLUMNS.items() for name in names}
    mapping = {i: lookup[h.strip().lower()] for i, h in enumerate(header) if h and h.strip().lower() in lookup}
    missing = [key for key in REQUIRED if key not in mapping.values()]
    errors = [
        RowError(1, COLUMNS[key][1], str(_("The column “%(column)s” is missing.") % {"column": COLUMNS[key][1]}))
        for key in missing
    ]
    return mapping, errors


def _read_rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationFailed(_("The file is not a readable Excel workbook (.xlsx).")) from exc
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed(_("The CSV file must be encoded in UTF-8 or GB18030."))
        return list(csv.reader(io.StringIO(text)))
    raise ValidationFailed(_("Upload a CSV (.csv) or Excel (.xlsx) file."))


def _check_rows(actor: Actor, rows: list[list[str]]) -> tuple[list[tuple[int, LineData]], int, list[RowError]]:
    header = rows[0] if rows else []
    mapping, errors = _header_map(header)
    if errors:
        return [], 0, errors
    return _check_body(actor, rows, mapping)


def _check_body(
    actor: Actor, rows: list[list[str]], mapping: dict[int, str]
) -> tuple[list[tuple[int, LineData]], int, list[RowError]]:
    """Check the data rows; errors name the file's own header of the column."""
    headers = {key: rows[0][i].strip() for i, key in mapping.items()}
    errors: list[RowError] = []
    good: list[tuple[int, LineData]] = []
    unchanged = 0
    seen_ext: dict[tuple[str, str], int] = {}
    seen_key: dict[tuple[Any, ...], int] = {}
    allowed: dict[int, bool] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw = {key: row[i] if i < len(row) else "" for i, key in mapping.items()}
        data, row_errors = line_data_clean(raw)
        errors.extend(RowError(number, column, message) for column, message in row_errors)
        if data is None:
            continue
        if data.budget_unit_id not in allowed:
            unit = Organisation.objects.select_related("region").get(pk=data.budget_unit_id)
            allowed[data.budget_unit_id] = permissions.lines.can_load_for(
                actor, unit_id=unit.pk, unit_region_code=unit.region.code
            )
        if not allowed[data.budget_unit_id]:
            errors.append(
                RowError(
                    number,
                    "budget_unit",
                    str(_("Only the budget unit's finance bureau may load its budget lines.")),
                )
            )
            continue
        key = (
            data.fiscal_year,
            data.budget_unit_id,
            data.functional_code,
            data.economic_code,
            data.project_code,
            data.project_name,
        )
        if key in seen_key:
            errors.append(
                RowError(number, "project_name", str(_("Same line as row %(row)s.") % {"row": seen_key[key]}))
            )
            continue
        seen_key[key] = number
        if data.external_id:
            ext = (data.source_system, data.external_id)
            if ext in seen_ext:
                errors.append(
                    RowError(number, "external_id", str(_("Same external id as row %(row)s.") % {"row": seen_ext[ext]}))
                )
                continue
            seen_ext[ext] = number
            existing = BudgetLine.objects.filter(source_system=data.source_system, external_id=data.external_id).first()
            if existing is not None:
                allocated = existing.entries.filter(kind="allocate").values_list("amount", flat=True).first()
                if allocated == data.amount and existing.budget_unit_id == data.budget_unit_id:
                    unchanged += 1  # loaded before, identical: importing the file again changes nothing
                    continue
                errors.append(
                    RowError(
                        number,
                        "amount",
                        str(
                            _(
                                "External id %(ext)s was already loaded with other values; "
                                "use an adjustment (追加/调减)."
                            )
                            % {"ext": data.external_id}
                        ),
                    )
                )
                continue
        good.append((number, data))
    if len(rows) - 1 > MAX_ROWS:
        errors.append(RowError(MAX_ROWS + 2, "", str(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})))
    named = [
        RowError(e.row, headers.get(e.column) or (COLUMNS[e.column][1] if e.column in COLUMNS else e.column), e.message)
        for e in errors
    ]
    return good, unchanged, named


def budget_lines_import(*, actor: Actor, file: IO[bytes], name: str) -> ImportResult:
    """Import the lines of a CSV or XLSX file, all or nothing.

    Preconditions: the actor is the finance bureau (its people or its system token) of every
    unit named in the file; other rows are reported, not imported. Effects: when every row is
    valid, one line with its ``allocate`` entry per new row (rows identical to a line loaded
    before are skipped); otherwise nothing, and ``errors`` lists each problem. Audit events:
    ``budgets.line.create`` per line and ``budgets.import.done`` once.
    """
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is too large (at most 5 MB)."))
    rows = _read_rows(name, content)
    if not rows:
        return ImportResult(errors=[RowError(1, "", str(_("The file is empty.")))])
    good, unchanged, errors = _check_rows(actor, rows)
    if not good and not unchanged and not errors:
        errors.append(RowError(2, "", str(_("The file has no lines."))))
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic():
        for _number, data in good:
            line_create(actor=actor, data=data)
        audit_record(
            actor=actor,
            action="budgets.import.done",
            data={"file": name[:200], "created": len(good), "unchanged": unchanged},
        )
    return ImportResult(created=len(good), unchanged=unchanged)


def template_rows(*, credit_code: str, fiscal_year: int) -> list[list[str]]:
    """The header and two example rows of the import template."""
    return [
        TEMPLATE_HEADERS,
        [
            f"YS{fiscal_year}-0001",
            "预算管理一体化系统",
            str(fiscal_year),
            credit_code,
            "2050201",
            "31002",
            FundSource.GENERAL.value,
            "XM-001",
            "教学设备购置",
            "300000.00",
        ],
        [
            f"YS{fiscal_year}-0002",
            "预算管理一体化系统",
            str(fiscal_year),
            credit_code,
            "2050201",
            "30201",
            FundSource.GENERAL.value,
            "XM-002",
            "办公费",
            "50000.00",
        ],
    ]
