"""Input and output schemas of the budgets API (amounts are decimal strings in CNY)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from zhengcai.budgets.api_fields import AmountIn, DateIn, IntIn, TextIn, choice


class LineIn(Schema):
    external_id: TextIn = Field(description="The line's id in the budget system; loading is idempotent on it.")
    source_system: str = Field("", description="Name of the budget system (the external id is unique within it).")
    fiscal_year: IntIn
    budget_unit: TextIn = Field(description="Unified social credit code of the budget unit.")
    functional_code: TextIn = Field(description="功能分类, 3/5/7 digits, e.g. 2050201.")
    economic_code: TextIn = Field(description="经济分类, 3/5 digits, e.g. 30201.")
    fund_source: str = Field(
        "general", description="general, government_funds, state_capital, special_account, unit_funds, other"
    )
    project_code: str = ""
    project_name: TextIn
    amount: AmountIn = Field(description="Allocated amount in CNY, > 0, at most two decimal places.")


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


ADJUST_KINDS = [("up", _("increase, 追加")), ("down", _("reduce, 调减"))]
PAYMENT_ACTIONS = [
    ("submit", _("submit for approval")),
    ("approve", _("approve")),
    ("reject", _("reject")),
    ("pay", _("record as paid")),
]


class AdjustIn(Schema):
    kind: Annotated[Literal["up", "down"], choice(ADJUST_KINDS)] = Field(
        description="up: 追加 (increase); down: 调减 (reduce)."
    )
    amount: AmountIn = Field(description="In CNY, > 0, at most two decimal places.")
    reason: TextIn = Field(description="Why the line is adjusted (the budget decision), shown in its ledger.")


class EntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    ref: str
    commitment_id: int | None
    reason: str = Field(
        description="For adjustments (追加/调减): the reason given, as sent in the adjustment's reason."
    )
    release_reason: str = Field(
        description="For releases and commitment reductions: savings, cancelled, revised or other."
    )
    voucher_no: str = Field(description="For payments: the payment voucher number.")
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


class PaymentRequestOut(Schema):
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
    commitment_id: IntIn
    amount: AmountIn


class PaymentActionIn(Schema):
    action: Annotated[Literal["submit", "approve", "reject", "pay"], choice(PAYMENT_ACTIONS)]
    reason: str = ""
    voucher_no: str = ""


class BudgetCommitmentOut(Schema):
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


class CommitmentAcceptIn(Schema):
    accepted_amount: AmountIn = Field(description="All or part of the committed amount, > 0.")
    accepted_on: DateIn = Field(description="Date of the acceptance (验收), not in the future.")
