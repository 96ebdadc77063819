"""The ledger arithmetic: how each entry kind moves the cached balances, and the verifier.

Shared by the services (which apply one entry under the line's lock) and ``ledger_verify``
(which recomputes every balance from the entries), so both read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from zhengcai.budgets.models import ZERO, BudgetLine, EntryKind, LedgerEntry

# kind -> {balance column: sign}
EFFECTS: dict[str, dict[str, int]] = {
    EntryKind.ALLOCATE: {"allocated": +1},
    EntryKind.ADJUST_UP: {"allocated": +1},
    EntryKind.ADJUST_DOWN: {"allocated": -1},
    EntryKind.RESERVE: {"reserved": +1},
    EntryKind.RELEASE: {"reserved": -1},
    EntryKind.COMMIT: {"reserved": -1, "committed": +1},
    EntryKind.UNCOMMIT: {"committed": -1},
    EntryKind.PAY: {"committed": -1, "paid": +1},
}
COLUMNS = ("allocated", "reserved", "committed", "paid")


@dataclass(frozen=True)
class Balance:
    allocated: Decimal
    reserved: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.allocated - self.reserved - self.committed - self.paid


@dataclass
class VerifyResult:
    line_id: int
    cached: Balance
    computed: Balance
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def apply_entry(line: BudgetLine, kind: str, amount: Decimal) -> None:
    """Move the cached columns of a locked ``line`` for one entry (does not save)."""
    for column, sign in EFFECTS[kind].items():
        setattr(line, column, getattr(line, column) + sign * amount)


def line_balance(line: BudgetLine) -> Balance:
    return Balance(line.allocated, line.reserved, line.committed, line.paid)


def computed_balance(line_id: int) -> Balance:
    sums = dict.fromkeys(COLUMNS, ZERO)
    rows = LedgerEntry.objects.filter(line_id=line_id).values("kind").annotate(total=Sum("amount"))
    for row in rows:
        for column, sign in EFFECTS[row["kind"]].items():
            sums[column] += sign * row["total"]
    return Balance(**sums)


def ledger_verify(line: BudgetLine) -> VerifyResult:
    """Recompute ``line``'s balances from its entries and compare them with the cache."""
    line.refresh_from_db(fields=list(COLUMNS))
    cached, computed = line_balance(line), computed_balance(line.pk)
    problems = [
        f"{column}: cached {getattr(cached, column)} != ledger {getattr(computed, column)}"
        for column in COLUMNS
        if getattr(cached, column) != getattr(computed, column)
    ]
    if computed.available < 0:
        problems.append(f"available is negative: {computed.available}")
    return VerifyResult(line_id=line.pk, cached=cached, computed=computed, problems=problems)
