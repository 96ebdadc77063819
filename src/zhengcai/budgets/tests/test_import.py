"""CSV and Excel import: all or nothing with a row-by-row report."""

from __future__ import annotations

import io

from openpyxl import Workbook

from zhengcai.budgets.importers import TEMPLATE_HEADERS, budget_lines_import
from zhengcai.budgets.models import BudgetLine
from zhengcai.budgets.tests.conftest import World


def _csv(rows: list[list[str]]) -> io.BytesIO:
    text = "\n".join(",".join(r) for r in [TEMPLATE_HEADERS, *rows])
    return io.BytesIO(text.encode("utf-8-sig"))


def _row(world: World, ext: str, **kw: str) -> list[str]:
    values = {
        "ext": ext,
        "sys": "一体化",
        "year": "2026",
        "unit": world.unit.credit_code or "",
        "f": "2050203",
        "e": "31002",
        "src": "general",
        "pc": "XM",
        "name": f"项目{ext}",
        "amount": "1000.00",
    }
    values.update(kw)
    return list(values.values())


def test_csv_import_and_reimport_changes_nothing(world: World) -> None:
    rows = [_row(world, "A1"), _row(world, "A2", amount="2,500.50")]
    result = budget_lines_import(actor=world.regulator, file=_csv(rows), name="lines.csv")
    assert result.ok
    assert result.created == 2
    again = budget_lines_import(actor=world.regulator, file=_csv(rows), name="lines.csv")
    assert (again.ok, again.created, again.unchanged) == (True, 0, 2)
    assert BudgetLine.objects.count() == 2


def test_one_bad_row_imports_nothing_and_reports_every_problem(world: World) -> None:
    rows = [
        _row(world, "B1"),
        _row(world, "B2", amount="-5"),
        _row(world, "B3", year="2024"),
        _row(world, "B4", unit="91330802MA2XXXXXXX", amount="abc"),
        _row(world, "B1", name="另一项目"),  # duplicate external id inside the file
    ]
    result = budget_lines_import(actor=world.regulator, file=_csv(rows), name="lines.csv")
    assert not result.ok
    assert result.created == 0
    problems = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "金额"),
        (4, "年度"),
        (5, "预算单位统一社会信用代码"),
        (5, "金额"),
        (6, "指标编号"),
    } <= problems
    assert not BudgetLine.objects.exists()


def test_xlsx_import_and_missing_columns(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(_row(world, "X1"))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    assert budget_lines_import(actor=world.regulator, file=out, name="lines.xlsx").created == 1
    bad = io.BytesIO("年度,金额\n2026,5\n".encode())
    result = budget_lines_import(actor=world.regulator, file=bad, name="x.csv")
    assert not result.ok
    assert all(e.row == 1 for e in result.errors)
    assert BudgetLine.objects.count() == 1


def test_the_unit_may_not_import_its_own_lines(world: World) -> None:
    for actor in (world.admin, world.clerk, world.far_regulator):
        result = budget_lines_import(actor=actor, file=_csv([_row(world, "R1")]), name="l.csv")
        assert not result.ok
        assert [(e.row, e.column) for e in result.errors] == [(2, "预算单位统一社会信用代码")]
    assert not BudgetLine.objects.exists()
    result = budget_lines_import(actor=world.regulator_token, file=_csv([_row(world, "R1")]), name="l.csv")
    assert result.ok
    assert BudgetLine.objects.count() == 1
