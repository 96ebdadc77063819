"""The wizard's repeating rows (items, fundings): read from the post, grown, capped.

The page starts with a few empty rows; the purchaser adds more (htmx, or a submit button
without JavaScript) up to the caps of ``inputs``. Rows are named ``items-<n>-<field>`` and
``fundings-<n>-<field>``; every posted row is read, none beyond the cap.
"""

from __future__ import annotations

import re
from typing import Any

from zhengcai.plans.inputs import (
    MAX_FUNDINGS,
    MAX_ITEMS,
    FundingInput,
    ItemInput,
    too_many_fundings,
    too_many_items,
)

ITEM_ROWS = 5
FUNDING_ROWS = 3
ITEM_FIELDS = ("catalogue_code", "description", "quantity", "unit", "unit_price")
FUNDING_FIELDS = ("line_id", "amount")
# Row numbers are read from the posted names; more than four digits is past any cap anyway.
ROW_KEY = re.compile(r"(items|fundings)-([0-9]{1,4})-([a-z_]+)")


def rows_read(
    data: Any, prefix: str, names: tuple[str, ...], count: int, limit: int
) -> tuple[list[dict[str, str]], bool]:
    """Every posted row up to ``limit`` (at least ``count``), and whether a filled row lies beyond it."""
    last = -1
    overflow = False
    for key in data:
        if not key.startswith(prefix + "-"):
            continue
        match = ROW_KEY.fullmatch(key)
        index = int(match.group(2)) if match else limit
        if index >= limit:
            overflow = overflow or bool((data.get(key) or "").strip())
        else:
            last = max(last, index)
    n = max(count, last + 1)
    return [{name: (data.get(f"{prefix}-{i}-{name}") or "").strip() for name in names} for i in range(n)], overflow


def wizard_inputs(
    data: Any,
) -> tuple[list[ItemInput], list[FundingInput], list[dict[str, str]], list[dict[str, str]], dict[str, list[Any]]]:
    """Non-empty rows of the wizard as service inputs, the raw rows to re-render, and row-count errors."""
    item_rows, items_over = rows_read(data, "items", ITEM_FIELDS, ITEM_ROWS, MAX_ITEMS)
    funding_rows, fundings_over = rows_read(data, "fundings", FUNDING_FIELDS, FUNDING_ROWS, MAX_FUNDINGS)
    items = [ItemInput(**r) for r in item_rows if any(r.values())]
    fundings = [FundingInput(**r) for r in funding_rows if any(r.values())]
    errors: dict[str, list[Any]] = {}
    if items_over:
        errors["items"] = [too_many_items()]
    if fundings_over:
        errors["fundings"] = [too_many_fundings()]
    return items, fundings, item_rows, funding_rows, errors


def renumber(errors: dict[str, list[Any]], rows: list[dict[str, str]], prefix: str) -> dict[str, list[Any]]:
    """Service errors count only non-empty rows; map them back to the rows on the page."""
    filled = [i for i, r in enumerate(rows) if any(r.values())]
    out: dict[str, list[Any]] = {}
    for key, value in errors.items():
        parts = key.split("-")
        target = key
        if parts[0] == prefix and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            target = f"{prefix}-{filled[int(parts[1])]}-{parts[2]}"
        out[target] = value
    return out


def row_limits(item_count: int, funding_count: int) -> dict[str, Any]:
    return {
        "max_items": MAX_ITEMS,
        "max_fundings": MAX_FUNDINGS,
        "items_full": item_count >= MAX_ITEMS,
        "fundings_full": funding_count >= MAX_FUNDINGS,
    }


def add_row(
    data: Any, item_rows: list[dict[str, str]], funding_rows: list[dict[str, str]], errors: dict[str, list[Any]]
) -> bool:
    """Append the empty row a no-JS "add" button asked for; at the cap, say so in ``errors``."""
    for button, rows, fields, limit, message in (
        ("add_item", item_rows, ITEM_FIELDS, MAX_ITEMS, too_many_items),
        ("add_funding", funding_rows, FUNDING_FIELDS, MAX_FUNDINGS, too_many_fundings),
    ):
        if button in data:
            if len(rows) >= limit:
                errors.setdefault(button.replace("add_", "") + "s", [message()])
            else:
                rows.append(dict.fromkeys(fields, ""))
            return True
    return False
