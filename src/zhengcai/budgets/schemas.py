"""Input and output schemas of the budgets API (amounts are decimal strings in CNY)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field


class LineIn(Schema):
    external_id: str = Field(description="The line's id in the budget system; loading is idempotent on it.")
    source_system: str = Field("", description="Name of the budget system (the external id is unique within it).")
    fiscal_year: int
    budget_unit: str = Field(description="Unified social credit code of the budget unit.")
    functional_code: str = Field(description="功能分类, 3/5/7 digits, e.g. 2050201.")
    economic_code: str = Field(description="经济分类, 3/5 digits, e.g. 30201.")
    fund_source: str = Field(
        "general", description="general, government_funds, state_capital, special_account, unit_funds, other"
    )
    project_code: str = ""
    project_name: str
    amount: Decimal = Field(description="Allocated amount in CNY, > 0.")


class LineOut(Schema):
    id: int
    external_id: str
    source_system: str
    fiscal_year: int
    budget_unit_id: int
    budget_unit_name: str
    functional_code: str
    economic_code: str
    fund_source: str
    project_code: str
    project_name: str
    allocated: Decimal
    reserved: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal


class LineUpsertOut(Schema):
    created: bool
    line: LineOut


class AdjustIn(Schema):
    kind: Literal["up", "down"] = Field(description="up: 追加 (increase); down: 调减 (reduce).")
    amount: Decimal
    reason: str


class EntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    ref: str
    commitment_id: int | None
    note: str
    reason: str = Field(description="For releases: savings, cancelled, revised or other.")
    by: str
    created_at: dt.datetime


class BalanceOut(Schema):
    line_id: int
    allocated: Decimal
    reserved: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    ledger_consistent: bool


class PaymentOut(Schema):
    id: int
    commitment_id: int
    commitment_ref: str
    line_id: int
    amount: Decimal
    status: str
    voucher_no: str
    due_on: dt.date | None
    requested_by: str
    approved_by: str
    reject_reason: str
    created_at: dt.datetime
    paid_at: dt.datetime | None


class PaymentIn(Schema):
    commitment_id: int
    amount: Decimal


class PaymentActionIn(Schema):
    action: Literal["submit", "approve", "reject", "pay"]
    reason: str = ""
    voucher_no: str = ""


class CommitmentOut(Schema):
    id: int
    line_id: int
    ref: str = Field(description="The reservation it was committed from, e.g. plan:12.")
    commitment_ref: str = Field(description="The order or contract, e.g. contract:9.")
    supplier_org_id: int | None
    description: str
    amount: Decimal
    accepted_amount: Decimal
    accepted_on: dt.date | None
    due_on: dt.date | None = Field(description="Payment deadline (acceptance + the rule set's period).")
    paid: Decimal
    status: str = Field(description="open, accepted, paid or cancelled.")
    created_at: dt.datetime


class AcceptIn(Schema):
    accepted_amount: Decimal = Field(description="All or part of the committed amount, > 0.")
    accepted_on: dt.date = Field(description="Date of the acceptance (验收), not in the future.")
