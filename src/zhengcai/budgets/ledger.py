"""The ledger arithmetic: how each entry kind moves the cached balances, and the verifier.

Shared by the services (which apply one entry under the line's lock) and ``ledger_verify``
(which recomputes every balance from the entries), so both read the same table.

Where committed money goes when it is not spent:

- ``uncommit``: a cancelled commitment's unpaid part goes back to the line's available money.
- ``return``: a cancelled commitment's unpaid part goes back to the reservation it was
  committed from (same ``ref``), so the plan can spend it again; the reservation is then
  released like any other (savings when the plan completes, cancelled ...).
- ``reduce``: a commitment lowered to what is still needed (an acceptance of less than was
  ordered); the difference goes straight back to the line's available money, with a
  release reason like a ``release`` (``savings`` counts in the savings figures). It does not
  pass through the reservation: the procurement is done and needed less, which is what a
  savings release of the reservation says too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from zhengcai.budgets.models import ZERO, BudgetLine, Commitment, EntryKind, LedgerEntry

# kind -> {balance column: sign}
EFFECTS: dict[str, dict[str, int]] = {
    EntryKind.ALLOCATE: {"allocated": +1},
    EntryKind.ADJUST_UP: {"allocated": +1},
    EntryKind.ADJUST_DOWN: {"allocated": -1},
    EntryKind.RESERVE: {"reserved": +1},
    EntryKind.RELEASE: {"reserved": -1},
    EntryKind.COMMIT: {"reserved": -1, "committed": +1},
    EntryKind.UNCOMMIT: {"committed": -1},
    EntryKind.RETURN: {"committed": -1, "reserved": +1},
    EntryKind.REDUCE: {"committed": -1},
    EntryKind.PAY: {"committed": -1, "paid": +1},
}
COLUMNS = ("allocated", "reserved", "committed", "paid")

# How each kind moves the reservation of its ref (reserved - released - committed ...).
RESERVATION_EFFECTS: dict[str, int] = {
    EntryKind.RESERVE: +1,
    EntryKind.RETURN: +1,
    EntryKind.RELEASE: -1,
    EntryKind.COMMIT: -1,
}
# How each kind moves a commitment's amount (what stays committed, paid part included).
COMMITMENT_AMOUNT_EFFECTS: dict[str, int] = {EntryKind.COMMIT: +1, EntryKind.REDUCE: -1}
# Entries that give a cancelled commitment's unpaid part back.
CANCEL_KINDS = (EntryKind.UNCOMMIT, EntryKind.RETURN)


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


def _reservation_problems(line_id: int) -> list[str]:
    """Every ref's reservation on the line is >= 0."""
    held: dict[str, Decimal] = {}
    rows = (
        LedgerEntry.objects.filter(line_id=line_id, kind__in=list(RESERVATION_EFFECTS))
        .values("ref", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        held[row["ref"]] = held.get(row["ref"], ZERO) + RESERVATION_EFFECTS[row["kind"]] * row["total"]
    return [f"reservation of {ref} is negative: {amount}" for ref, amount in sorted(held.items()) if amount < 0]


def _commitment_problems(line_id: int) -> list[str]:
    """Each commitment agrees with its entries: amount = committed - reduced, paid = the pay
    entries, and a cancelled one gave back exactly its unpaid part (an open one nothing)."""
    sums: dict[int, dict[str, Decimal]] = {}
    rows = (
        LedgerEntry.objects.filter(line_id=line_id, commitment__isnull=False)
        .values("commitment_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sums.setdefault(row["commitment_id"], {})[row["kind"]] = row["total"]
    problems = []
    commitments = Commitment.objects.filter(line_id=line_id).values_list("pk", "amount", "paid", "status")
    for pk, amount, paid, status in commitments.order_by("pk"):
        kinds = sums.get(pk, {})
        entries_amount = sum((sign * kinds.get(k, ZERO) for k, sign in COMMITMENT_AMOUNT_EFFECTS.items()), ZERO)
        entries_paid = kinds.get(EntryKind.PAY, ZERO)
        given_back = sum((kinds.get(k, ZERO) for k in CANCEL_KINDS), ZERO)
        expected_back = amount - paid if status == "cancelled" else ZERO
        if entries_amount != amount:
            problems.append(f"commitment {pk}: amount {amount} != ledger {entries_amount}")
        if entries_paid != paid:
            problems.append(f"commitment {pk}: paid {paid} != ledger {entries_paid}")
        if given_back != expected_back:
            problems.append(f"commitment {pk}: {given_back} given back, {expected_back} expected ({status})")
    return problems


def ledger_verify(line: BudgetLine) -> VerifyResult:
    """Recompute ``line``'s balances from its entries and compare them with the cache; check
    that no reservation is negative and that every commitment agrees with its entries."""
    line.refresh_from_db(fields=list(COLUMNS))
    cached, computed = line_balance(line), computed_balance(line.pk)
    problems = [
        f"{column}: cached {getattr(cached, column)} != ledger {getattr(computed, column)}"
        for column in COLUMNS
        if getattr(cached, column) != getattr(computed, column)
    ]
    if computed.available < 0:
        problems.append(f"available is negative: {computed.available}")
    problems += _reservation_problems(line.pk)
    problems += _commitment_problems(line.pk)
    return VerifyResult(line_id=line.pk, cached=cached, computed=computed, problems=problems)
