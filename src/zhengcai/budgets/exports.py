"""Excel exports of the budget lists (what the person sees, nothing more)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhengcai.budgets.models import BudgetLine, PaymentRequest

FORMULA_PREFIXES = ("=", "+", "-", "@")


def _safe(value: Any) -> Any:
    # Text starting like a formula is run by spreadsheet programs (CSV/Excel injection).
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(title: str, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lines_xlsx(lines: Iterable[BudgetLine]) -> bytes:
    headers = [
        _("Fiscal year"),
        _("Budget unit"),
        _("Functional classification"),
        _("Economic classification"),
        _("Source of funds"),
        _("Project code"),
        _("Project name"),
        _("External id"),
        _("Allocated"),
        _("Reserved"),
        _("Committed"),
        _("Paid"),
        _("Available"),
    ]
    rows = (
        [
            line.fiscal_year,
            line.budget_unit.name,
            line.functional_code,
            line.economic_code,
            line.get_fund_source_display(),
            line.project_code,
            line.project_name,
            line.external_id,
            line.allocated,
            line.reserved,
            line.committed,
            line.paid,
            line.available,
        ]
        for line in lines
    )
    return workbook_bytes(_("Budget lines"), headers, rows)


def payments_xlsx(payments: Iterable[PaymentRequest]) -> bytes:
    headers = [
        _("Number"),
        _("Budget unit"),
        _("Order or contract"),
        _("Amount"),
        _("Status"),
        _("Due on"),
        _("Voucher number"),
        _("Requested by"),
        _("Approved by"),
        _("Paid at"),
    ]
    rows = (
        [
            p.pk,
            p.commitment.line.budget_unit.name,
            p.commitment.commitment_ref,
            p.amount,
            p.get_status_display(),
            p.due_on,
            p.voucher_no,
            p.requested_by,
            p.approved_by,
            p.paid_at.replace(tzinfo=None) if p.paid_at else None,
        ]
        for p in payments
    )
    return workbook_bytes(_("Payments"), headers, rows)


def template_xlsx(rows: list[list[str]]) -> bytes:
    return workbook_bytes("lines", rows[0], rows[1:])
