"""Input and output schemas of the plans API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

from zhengcai.budgets.api_fields import DateIn, IntIn, NumberText, OptionalText, TextIn, not_null


class PlanItemIn(Schema):
    catalogue_code: TextIn
    description: TextIn
    quantity: NumberText
    unit: TextIn
    unit_price: NumberText


class FundingIn(Schema):
    line_id: IntIn
    amount: NumberText


class PlanIn(Schema):
    title: TextIn
    fiscal_year: IntIn
    organisation_form: OptionalText = Field(
        "", description="centralised, decentralised or self; empty: as the rules give."
    )
    required_by: DateIn
    chosen_method: OptionalText = Field("", description="A method code; empty: the rules' default.")
    items: list[PlanItemIn]
    fundings: list[FundingIn]


class ChangeIn(Schema):
    reasons: str = ""
    statutory_ground: str = ""
    supplier_name: str = ""


class DecisionIn(Schema):
    organisation_form: OptionalText = ""
    items: list[PlanItemIn]


class DecisionOut(Schema):
    channel: str
    default_method: str
    allowed_methods: list[str]
    mall_modes: list[str]
    allowed_forms: list[str]
    reasons: list[str]


class PlanItemOut(Schema):
    catalogue_code: str
    catalogue_name: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


class FundingOut(Schema):
    line_id: int
    amount: Decimal


class PlanOut(Schema):
    id: int
    number: str
    budget_unit_id: int
    budget_unit_name: str
    title: str
    fiscal_year: int
    organisation_form: str
    required_by: dt.date
    status: str
    total_amount: Decimal
    channel: str
    default_method: str
    allowed_methods: list[str]
    chosen_method: str
    reasons: list[str]
    rule_set_id: int | None
    intention_published_on: dt.date | None
    earliest_start: dt.date | None
    items: list[PlanItemOut]
    fundings: list[FundingOut]


class ChangeOut(Schema):
    id: int
    plan_id: int
    plan_title: str
    budget_unit_name: str
    default_method: str
    requested_method: str
    reasons: str
    statutory_ground: str
    supplier_name: str
    notice_ends_on: dt.date | None
    status: str
    waited_working_days: int
    comments: str


class ChangeDecideIn(Schema):
    approve: Annotated[bool, BeforeValidator(not_null)]
    comments: str = ""


class IntentionOut(Schema):
    id: int
    budget_unit_name: str
    title: str
    summary: str
    budget: Decimal
    required_by: dt.date
    published_on: dt.date
    earliest_start: dt.date | None


class PlanCancelIn(Schema):
    reason: str = ""


class IntentionIn(Schema):
    summary: str = ""


class CommitIn(Schema):
    line_id: IntIn
    amount: NumberText
    commitment_ref: TextIn
    supplier_org_id: int | None = None
    description: str = ""


class ReleaseIn(Schema):
    line_id: IntIn
    amount: NumberText


class PlanCommitmentOut(Schema):
    id: int
    line_id: int
    plan_ref: str
    commitment_ref: str
    amount: Decimal
    status: str


class NoticeOut(Schema):
    id: int
    plan_title: str
    budget_unit_name: str
    budget: Decimal
    supplier_name: str
    statutory_ground: str
    reasons: str
    notice_starts_on: dt.date
    notice_ends_on: dt.date
