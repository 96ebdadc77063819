"""The values of a rule set: every number of RULES.md as a typed, labelled, sourced field.

A rule set version stores ``RuleValues.model_dump(mode="json")``; processes read it back with
``RuleValues.model_validate``. Each field carries a ``RuleMeta`` (translated label, unit,
source article, group) in its ``Annotated`` metadata so screens, the API and the "new
version" form describe the numbers without a second list to keep in sync.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator
from pydantic_core import PydanticCustomError

from zhengcai.core.calendar import Period, PeriodUnit
from zhengcai.core.money import FEN

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise


# Lengths of a version's descriptive texts (the RuleSet columns; notes is a bounded TextField).
VERSION_LABEL_MAX = 100
SOURCE_MAX = 300
NOTES_MAX = 2000


class Unit(enum.StrEnum):
    PERIOD = "period"
    PERCENT = "percent"
    PERCENT_BAND = "percent_band"
    CNY = "cny"
    COUNT = "count"
    YEARS = "years"
    MONTHS = "months"
    RATIO = "ratio"
    FLAG = "flag"
    CHOICE = "choice"


class Group(enum.StrEnum):
    PERIODS = "periods"
    MINIMUMS = "minimums"
    EVALUATION = "evaluation"
    SME = "sme"
    EXPERTS = "experts"
    CHALLENGES = "challenges"
    MONEY = "money"
    THRESHOLDS = "thresholds"
    INSPECTIONS = "inspections"
    MALL = "mall"

    @property
    def label(self) -> str:
        return str(GROUP_LABELS[self])


GROUP_LABELS: dict[Group, Promise] = {
    Group.PERIODS: _("Periods"),
    Group.MINIMUMS: _("Minimum numbers"),
    Group.EVALUATION: _("Evaluation"),
    Group.SME: _("SME policy"),
    Group.EXPERTS: _("Experts"),
    Group.CHALLENGES: _("Challenges and complaints"),
    Group.MONEY: _("Deposits, guarantees and payment"),
    Group.THRESHOLDS: _("Thresholds"),
    Group.INSPECTIONS: _("Double-random inspections"),
    Group.MALL: _("E-mall"),
}


@dataclass(frozen=True, slots=True)
class RuleMeta:
    label: Promise
    unit: Unit
    source: Promise  # the legal basis, translated (English source, Chinese citation)
    group: Group
    unverified: bool = False


class PeriodValue(BaseModel):
    """A statutory period as stored: ``{"n": 5, "unit": "working_days"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int = Field(ge=0, le=3660)
    unit: Literal["working_days", "days"]

    @property
    def period(self) -> Period:
        return Period(self.n, PeriodUnit(self.unit))

    def __str__(self) -> str:
        return str(self.period)


def wd(n: int) -> PeriodValue:
    return PeriodValue(n=n, unit="working_days")


def days(n: int) -> PeriodValue:
    return PeriodValue(n=n, unit="days")


Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), AfterValidator(lambda d: d.quantize(FEN))]
Count = Annotated[int, Field(ge=0, le=1000)]


class Band(BaseModel):
    """A percentage band the purchaser chooses within, e.g. SME deduction 10-20%."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: Percent
    max: Percent

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise PydanticCustomError("band_order", str(_("The lower bound may not exceed the upper bound.")))
        return self

    def __str__(self) -> str:
        return f"{self.min}%–{self.max}%"


def band(lo: str, hi: str) -> Band:
    return Band(min=Decimal(lo), max=Decimal(hi))


def _parse_ratio(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        ratio = value
    else:
        try:
            ratio = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError) as exc:
            raise PydanticCustomError("ratio", str(_("Enter a fraction such as 2/3."))) from exc
    if not 0 <= ratio <= 1:
        raise PydanticCustomError("ratio_range", str(_("The fraction must be between 0 and 1.")))
    return ratio


# A share such as "experts >= 2/3": kept exact (2/3 of 3 members is 2, not 2.0001).
Ratio = Annotated[Fraction, BeforeValidator(_parse_ratio), PlainSerializer(str, return_type=str)]


class ListingPriceRule(enum.StrEnum):
    OFFICIAL_OR_ECOMMERCE_LOWEST = "official_or_ecommerce_lowest"
    OFFICIAL_PRICE = "official_price"
    NONE = "none"


LISTING_PRICE_RULE_LABELS: dict[str, Promise] = {
    ListingPriceRule.OFFICIAL_OR_ECOMMERCE_LOWEST: _(
        "Not above the manufacturer's official price or the lowest self-operated price on major e-commerce sites"
    ),
    ListingPriceRule.OFFICIAL_PRICE: _("Not above the manufacturer's official price"),
    ListingPriceRule.NONE: _("No price cap"),
}


def _m(label: Promise, unit: Unit, source: Promise, group: Group, *, unverified: bool = False) -> RuleMeta:
    return RuleMeta(label=label, unit=unit, source=source, group=group, unverified=unverified)


P, MIN, EV, SME, EXP, CH, MON, TH, INS = (
    Group.PERIODS,
    Group.MINIMUMS,
    Group.EVALUATION,
    Group.SME,
    Group.EXPERTS,
    Group.CHALLENGES,
    Group.MONEY,
    Group.THRESHOLDS,
    Group.INSPECTIONS,
)


class RuleValues(BaseModel):
    """Every statutory number a process needs; a complete snapshot per rule-set version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # -- periods -------------------------------------------------------------------------
    open_tender_bidding_period: Annotated[
        PeriodValue,
        _m(
            _("Open tender: documents issued to bid deadline, at least"),
            Unit.PERIOD,
            _("Government Procurement Law, Art. 35"),
            P,
        ),
    ]
    tender_notice_period: Annotated[
        PeriodValue,
        _m(_("Tender / pre-qualification notice published for"), Unit.PERIOD, _("MOF Order No. 87, Art. 16"), P),
    ]
    tender_documents_available: Annotated[
        PeriodValue,
        _m(
            _("Tender documents available for at least"),
            Unit.PERIOD,
            _("GPL Implementing Regulations, Art. 31; MOF Order No. 87, Art. 18"),
            P,
        ),
    ]
    tender_documents_min_takers: Annotated[
        Count,
        _m(
            _("Extend document availability if fewer suppliers than this took them"),
            Unit.COUNT,
            _("MOF Order No. 87, Art. 18"),
            P,
        ),
    ]
    tender_clarification_before_deadline: Annotated[
        PeriodValue,
        _m(
            _("Clarification affecting bids: before the bid deadline, at least"),
            Unit.PERIOD,
            _("GPL Implementing Regulations, Art. 31; MOF Order No. 87, Art. 27"),
            P,
        ),
    ]
    prequalification_clarification_before_deadline: Annotated[
        PeriodValue,
        _m(
            _("Clarification of pre-qualification documents: before the deadline, at least"),
            Unit.PERIOD,
            _("MOF Order No. 87, Art. 27"),
            P,
        ),
    ]
    negotiation_response_period: Annotated[
        PeriodValue,
        _m(
            _("Negotiation / inquiry: documents issued to response deadline, at least"),
            Unit.PERIOD,
            _("MOF Order No. 74, Arts. 29, 45"),
            P,
        ),
    ]
    negotiation_clarification_before_deadline: Annotated[
        PeriodValue,
        _m(
            _("Negotiation / inquiry: clarification before the deadline, at least"),
            Unit.PERIOD,
            _("MOF Order No. 74, Arts. 29, 45"),
            P,
        ),
    ]
    consultation_response_period: Annotated[
        PeriodValue,
        _m(
            _("Consultation: documents issued to first response, at least"),
            Unit.PERIOD,
            _("财库〔2014〕214号, Art. 10"),
            P,
        ),
    ]
    consultation_documents_available: Annotated[
        PeriodValue,
        _m(_("Consultation documents available for at least"), Unit.PERIOD, _("财库〔2014〕214号, Art. 10"), P),
    ]
    consultation_clarification_before_deadline: Annotated[
        PeriodValue,
        _m(
            _("Consultation: clarification before the deadline, at least"),
            Unit.PERIOD,
            _("财库〔2014〕214号, Art. 10"),
            P,
        ),
    ]
    single_source_notice_period: Annotated[
        PeriodValue,
        _m(
            _("Single-source notice published for at least"),
            Unit.PERIOD,
            _("GPL Implementing Regulations, Art. 38; MOF Order No. 74, Art. 38"),
            P,
        ),
    ]
    single_source_objection_review: Annotated[
        PeriodValue,
        _m(
            _("Single-source objections re-examined within (after the notice ends)"),
            Unit.PERIOD,
            _("MOF Order No. 74, Art. 40"),
            P,
        ),
    ]
    intention_notice_before_start: Annotated[
        PeriodValue,
        _m(
            _("Procurement-intention notice before the procurement starts, at least"),
            Unit.PERIOD,
            _("财库〔2020〕10号"),
            P,
        ),
    ]
    evaluation_report_due: Annotated[
        PeriodValue, _m(_("Evaluation report to the purchaser within"), Unit.PERIOD, _("MOF Order No. 87, Art. 68"), P)
    ]
    winner_confirmation_due: Annotated[
        PeriodValue,
        _m(
            _("Purchaser confirms the winner within (else the first-ranked is deemed chosen)"),
            Unit.PERIOD,
            _("MOF Order No. 87, Art. 68; GPL Implementing Regulations, Art. 43; MOF Order No. 74, Arts. 36, 49"),
            P,
        ),
    ]
    award_notice_due: Annotated[
        PeriodValue,
        _m(
            _("Award notice published within (of confirmation)"),
            Unit.PERIOD,
            _("GPL Implementing Regulations, Art. 43"),
            P,
        ),
    ]
    award_notice_period: Annotated[
        PeriodValue,
        _m(
            _("Award notice period"),
            Unit.PERIOD,
            _("GPL Implementing Regulations, Art. 43; MOF Order No. 87, Art. 69"),
            P,
        ),
    ]
    contract_signing_due: Annotated[
        PeriodValue,
        _m(
            _("Contract signed within (of the award notice)"),
            Unit.PERIOD,
            _("Government Procurement Law, Art. 46; MOF Order No. 87, Art. 71"),
            P,
        ),
    ]
    contract_publication_due: Annotated[
        PeriodValue,
        _m(_("Contract published within (of signing)"), Unit.PERIOD, _("GPL Implementing Regulations, Art. 50"), P),
    ]
    contract_filing_due: Annotated[
        PeriodValue,
        _m(
            _("Contract copy filed with the finance department within"),
            Unit.PERIOD,
            _("Government Procurement Law, Art. 47"),
            P,
        ),
    ]
    addon_contract_max_percent: Annotated[
        Percent,
        _m(
            _("Add-on contract, at most (of the original amount)"),
            Unit.PERCENT,
            _("Government Procurement Law, Art. 49"),
            P,
        ),
    ]
    records_retention_years: Annotated[
        Count, _m(_("Procurement records kept for at least"), Unit.YEARS, _("Government Procurement Law, Art. 42"), P)
    ]

    # -- minimum numbers -----------------------------------------------------------------
    tender_min_bidders: Annotated[
        Count, _m(_("Bidders needed to open a tender"), Unit.COUNT, _("MOF Order No. 87, Art. 41"), MIN)
    ]
    tender_min_qualified_bids: Annotated[
        Count,
        _m(
            _("Qualified bids needed to evaluate a tender"),
            Unit.COUNT,
            _("MOF Order No. 87, Art. 44; MOF Order No. 74, Art. 27"),
            MIN,
        ),
    ]
    invited_tender_min_suppliers: Annotated[
        Count,
        _m(_("Invited tender: suppliers drawn at random, at least"), Unit.COUNT, _("MOF Order No. 87, Art. 14"), MIN),
    ]
    invited_tender_pool_multiple: Annotated[
        Count,
        _m(
            _("Invited tender: candidate pool, times the number drawn"), Unit.COUNT, _("MOF Order No. 87, Art. 14"), MIN
        ),
    ]
    negotiation_min_invited: Annotated[
        Count, _m(_("Negotiation: suppliers invited, at least"), Unit.COUNT, _("MOF Order No. 74, Art. 12"), MIN)
    ]
    negotiation_min_final_offers: Annotated[
        Count, _m(_("Negotiation: final offers, at least"), Unit.COUNT, _("MOF Order No. 74, Art. 33"), MIN)
    ]
    negotiation_recommended_max_percent: Annotated[
        Percent,
        _m(
            _("Negotiation: purchaser-recommended suppliers, at most"),
            Unit.PERCENT,
            _("MOF Order No. 74, Art. 12"),
            MIN,
        ),
    ]
    tender_committee_min: Annotated[
        Count, _m(_("Tender evaluation committee, at least (odd)"), Unit.COUNT, _("MOF Order No. 87, Art. 47"), MIN)
    ]
    tender_committee_min_large: Annotated[
        Count,
        _m(
            _("Tender committee for large, complex or high-impact projects, at least (odd)"),
            Unit.COUNT,
            _("MOF Order No. 87, Art. 47"),
            MIN,
        ),
    ]
    tender_committee_large_budget: Annotated[
        Amount,
        _m(
            _("Budget from which the larger tender committee is required"),
            Unit.CNY,
            _("MOF Order No. 87, Art. 47"),
            MIN,
        ),
    ]
    committee_expert_share_min: Annotated[
        Ratio,
        _m(
            _("Experts' share of a committee or panel, at least"),
            Unit.RATIO,
            _("MOF Order No. 87, Art. 47; MOF Order No. 74, Art. 7"),
            MIN,
        ),
    ]
    panel_min: Annotated[
        Count,
        _m(
            _("Negotiation / inquiry / consultation panel, at least (odd)"),
            Unit.COUNT,
            _("MOF Order No. 74, Art. 7"),
            MIN,
        ),
    ]
    panel_min_above_open_tender_threshold: Annotated[
        Count,
        _m(
            _("Panel at or above the open-tender threshold, at least (odd)"),
            Unit.COUNT,
            _("MOF Order No. 74, Art. 7"),
            MIN,
        ),
    ]
    negotiation_min_candidates: Annotated[
        Count,
        _m(
            _("Candidates proposed (negotiation, inquiry), at least"),
            Unit.COUNT,
            _("MOF Order No. 74, Arts. 35, 48"),
            MIN,
        ),
    ]
    framework_min_elimination_percent: Annotated[
        Percent,
        _m(
            _("Framework agreement stage 1: suppliers eliminated, at least (and at least one)"),
            Unit.PERCENT,
            _("MOF Order No. 110, Art. 15"),
            MIN,
        ),
    ]
    framework_term_goods_years: Annotated[
        Count, _m(_("Framework agreement term for goods, at most"), Unit.YEARS, _("MOF Order No. 110, Art. 27"), MIN)
    ]
    framework_term_services_years: Annotated[
        Count, _m(_("Framework agreement term for services, at most"), Unit.YEARS, _("MOF Order No. 110, Art. 27"), MIN)
    ]
    framework_calloff_publication_due: Annotated[
        PeriodValue,
        _m(_("Framework call-off awards published within"), Unit.PERIOD, _("MOF Order No. 110, Art. 35"), MIN),
    ]

    # -- evaluation ----------------------------------------------------------------------
    price_weight_goods_min_percent: Annotated[
        Percent,
        _m(
            _("Price weight under comprehensive scoring, goods, at least"),
            Unit.PERCENT,
            _("MOF Order No. 87, Art. 55"),
            EV,
        ),
    ]
    price_weight_services_min_percent: Annotated[
        Percent,
        _m(
            _("Price weight under comprehensive scoring, services, at least"),
            Unit.PERCENT,
            _("MOF Order No. 87, Art. 55"),
            EV,
        ),
    ]
    consultation_price_weight_goods: Annotated[
        Band, _m(_("Consultation price weight, goods"), Unit.PERCENT_BAND, _("财库〔2014〕214号, Art. 24"), EV)
    ]
    consultation_price_weight_services: Annotated[
        Band, _m(_("Consultation price weight, services"), Unit.PERCENT_BAND, _("财库〔2014〕214号, Art. 24"), EV)
    ]
    abnormally_low_price_percent: Annotated[
        Percent | None,
        _m(
            _("Abnormally low price trigger: below this share of the average valid price (optional)"),
            Unit.PERCENT,
            _("MOF Order No. 87, Art. 60 (no figure set by law)"),
            EV,
            unverified=True,
        ),
    ] = None

    # -- SME -----------------------------------------------------------------------------
    sme_small_micro_deduction: Annotated[
        Band,
        _m(
            _("SME price deduction, small/micro bidder"),
            Unit.PERCENT_BAND,
            _("财库〔2020〕46号 / 财库〔2022〕19号"),
            SME,
        ),
    ]
    sme_consortium_deduction: Annotated[
        Band,
        _m(
            _("SME price deduction, consortium or subcontract to small/micro"),
            Unit.PERCENT_BAND,
            _("财库〔2020〕46号 / 财库〔2022〕19号"),
            SME,
        ),
    ]
    sme_works_deduction: Annotated[
        Band | None,
        _m(_("SME price deduction, works, small/micro bidder"), Unit.PERCENT_BAND, _("财库〔2020〕46号"), SME),
    ] = None
    sme_works_consortium_deduction: Annotated[
        Band | None, _m(_("SME price deduction, works, consortium"), Unit.PERCENT_BAND, _("财库〔2020〕46号"), SME)
    ] = None
    sme_subcontract_min_percent: Annotated[
        Percent,
        _m(
            _("Subcontract share to small/micro enterprises that earns the consortium deduction"),
            Unit.PERCENT,
            _("财库〔2020〕46号, Art. 9"),
            SME,
        ),
    ]
    sme_reserved_max_goods_services: Annotated[
        Amount, _m(_("Reserved for SMEs up to, goods and services"), Unit.CNY, _("财库〔2020〕46号, Art. 8"), SME)
    ]
    sme_reserved_max_works: Annotated[
        Amount, _m(_("Reserved for SMEs up to, works"), Unit.CNY, _("财库〔2020〕46号, Art. 8"), SME)
    ]
    sme_reserved_share_large_percent: Annotated[
        Percent,
        _m(_("Share reserved for SMEs in larger projects, at least"), Unit.PERCENT, _("财库〔2020〕46号, Art. 8"), SME),
    ]
    sme_reserved_small_micro_percent: Annotated[
        Percent,
        _m(
            _("Of the reserved share, for small/micro enterprises, at least"),
            Unit.PERCENT,
            _("财库〔2020〕46号, Art. 8"),
            SME,
        ),
    ]
    sme_reserved_min_responses: Annotated[
        Count,
        _m(
            _("Qualified SMEs needed in a reserved package (else re-run unreserved)"),
            Unit.COUNT,
            _("财库〔2020〕46号, Art. 10"),
            SME,
        ),
    ]

    # -- experts -------------------------------------------------------------------------
    expert_conflict_lookback_years: Annotated[
        Count,
        _m(
            _("Conflict of interest: look back over"),
            Unit.YEARS,
            _("GPL Implementing Regulations, Art. 9; 财库〔2016〕198号, Art. 16"),
            EXP,
        ),
    ]
    expert_draw_earliest_before_evaluation: Annotated[
        PeriodValue,
        _m(
            _("Expert draw: not earlier than, before evaluation"),
            Unit.PERIOD,
            _("财库〔2016〕198号, Art. 14"),
            EXP,
            unverified=True,
        ),
    ]
    temporary_expert_candidates_per_seat: Annotated[
        Count | None,
        _m(
            _("Purchaser-proposed temporary experts: candidates per seat (optional)"),
            Unit.COUNT,
            _("Zhejiang practice"),
            EXP,
        ),
    ] = None

    # -- challenges and complaints -------------------------------------------------------
    inquiry_answer_due: Annotated[
        PeriodValue, _m(_("Inquiry answered within"), Unit.PERIOD, _("GPL Implementing Regulations, Art. 52"), CH)
    ]
    challenge_filing_window: Annotated[
        PeriodValue,
        _m(
            _("Challenge filed within (of knowing of the harm)"),
            Unit.PERIOD,
            _("Government Procurement Law, Art. 52; MOF Order No. 94, Art. 10; GPL Implementing Regulations, Art. 53"),
            CH,
        ),
    ]
    challenge_answer_due: Annotated[
        PeriodValue, _m(_("Challenge answered within"), Unit.PERIOD, _("MOF Order No. 94, Art. 13"), CH)
    ]
    complaint_filing_window: Annotated[
        PeriodValue,
        _m(_("Complaint filed within (after the answer period ends)"), Unit.PERIOD, _("MOF Order No. 94, Art. 17"), CH),
    ]
    complaint_acceptance_review: Annotated[
        PeriodValue, _m(_("Complaint acceptance review within"), Unit.PERIOD, _("MOF Order No. 94, Art. 21"), CH)
    ]
    complaint_copies_due: Annotated[
        PeriodValue,
        _m(_("Complaint copies sent to the parties within"), Unit.PERIOD, _("MOF Order No. 94, Art. 22"), CH),
    ]
    complaint_reply_due: Annotated[
        PeriodValue, _m(_("Parties reply to a complaint within"), Unit.PERIOD, _("MOF Order No. 94, Art. 22"), CH)
    ]
    complaint_decision_due: Annotated[
        PeriodValue,
        _m(_("Complaint decision within (expert review excluded)"), Unit.PERIOD, _("MOF Order No. 94, Art. 26"), CH),
    ]
    complaint_suspension_max: Annotated[
        PeriodValue,
        _m(
            _("Procurement suspended during a complaint, at most"),
            Unit.PERIOD,
            _("MOF Order No. 94, Art. 28; GPL Implementing Regulations, Art. 58"),
            CH,
        ),
    ]
    abusive_complaints_count: Annotated[
        Count,
        _m(
            _("Unfounded complaints that put a supplier on the bad-conduct list"),
            Unit.COUNT,
            _("MOF Order No. 94, Art. 37"),
            CH,
        ),
    ]
    abusive_complaints_window_months: Annotated[
        Count, _m(_("… within a window of"), Unit.MONTHS, _("MOF Order No. 94, Art. 37"), CH)
    ]

    # -- money ---------------------------------------------------------------------------
    bid_bond_allowed: Annotated[
        bool,
        _m(
            _("Bid bond may be required"),
            Unit.FLAG,
            _("GPL Implementing Regulations, Art. 33; 浙财采监〔2019〕5号"),
            MON,
        ),
    ]
    bid_bond_max_percent: Annotated[
        Percent,
        _m(_("Bid bond, at most (of the budget)"), Unit.PERCENT, _("GPL Implementing Regulations, Art. 33"), MON),
    ]
    bid_bond_refund_due: Annotated[
        PeriodValue, _m(_("Bid bond refunded within"), Unit.PERIOD, _("MOF Order No. 87, Arts. 29, 38"), MON)
    ]
    late_refund_interest_markup_percent: Annotated[
        Percent,
        _m(_("Late refund interest: PBOC lending rate plus"), Unit.PERCENT, _("MOF Order No. 87, Art. 38"), MON),
    ]
    performance_bond_max_percent: Annotated[
        Percent,
        _m(
            _("Performance bond, at most (of the contract amount)"),
            Unit.PERCENT,
            _("GPL Implementing Regulations, Art. 48; 财库〔2019〕38号"),
            MON,
        ),
    ]
    payment_due: Annotated[
        PeriodValue, _m(_("Payment within (of the invoice, conditions met)"), Unit.PERIOD, _("财库〔2019〕38号"), MON)
    ]
    sme_payment_due: Annotated[
        PeriodValue,
        _m(
            _("Payment to SMEs within (of delivery / acceptance)"),
            Unit.PERIOD,
            _("Regulations on Ensuring Payments to SMEs (State Council Orders No. 728 and No. 802)"),
            MON,
        ),
    ]
    sme_payment_due_max_agreed: Annotated[
        PeriodValue,
        _m(
            _("Payment to SMEs, longest that may be agreed"),
            Unit.PERIOD,
            _("Regulations on Ensuring Payments to SMEs (State Council Orders No. 728 and No. 802)"),
            MON,
        ),
    ]

    # -- thresholds ----------------------------------------------------------------------
    decentralised_limit_goods_services: Annotated[
        Amount, _m(_("Decentralised-procurement limit, goods and services"), Unit.CNY, _("国办发〔2019〕55号"), TH)
    ]
    decentralised_limit_works: Annotated[
        Amount, _m(_("Decentralised-procurement limit, works"), Unit.CNY, _("国办发〔2019〕55号"), TH)
    ]
    open_tender_threshold_goods_services: Annotated[
        Amount, _m(_("Open tender required from, goods and services"), Unit.CNY, _("国办发〔2019〕55号"), TH)
    ]
    mall_direct_purchase_limit: Annotated[
        Amount,
        _m(
            _("E-mall direct purchase up to (above: online inquiry or reverse auction)"),
            Unit.CNY,
            _("Regional e-mall rules"),
            TH,
            unverified=True,
        ),
    ]
    listing_price_rule: Annotated[
        ListingPriceRule, _m(_("E-mall listing price cap"), Unit.CHOICE, _("Zhejiang e-mall listing guide"), TH)
    ]
    open_tender_threshold_works: Annotated[
        Amount,
        _m(
            _("Open tender required from, works (construction contracts)"),
            Unit.CNY,
            _("国家发展改革委令第16号 (2018), Art. 5"),
            TH,
        ),
    ] = Decimal(4_000_000)

    # -- e-mall (网上超市); regional practice, configurable per region -----------------------
    mall_order_confirm_due: Annotated[
        PeriodValue,
        _m(
            _("E-mall: supplier confirms an order within"),
            Unit.PERIOD,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = PeriodValue(n=1, unit="working_days")
    mall_price_review_change_percent: Annotated[
        Percent,
        _m(
            _("E-mall: a price change above this goes back to review"),
            Unit.PERCENT,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = Decimal(10)
    mall_qualification_warning_days: Annotated[
        Count,
        _m(
            _("E-mall: warn this many days before a qualification expires"),
            Unit.COUNT,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = 30
    mall_inquiry_min_quotes: Annotated[
        Count,
        _m(
            _("E-mall online inquiry: quotes needed, at least"),
            Unit.COUNT,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = 3
    mall_inquiry_min_period: Annotated[
        PeriodValue,
        _m(
            _("E-mall online inquiry: open for quotes at least"),
            Unit.PERIOD,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = PeriodValue(n=1, unit="days")
    mall_auction_min_bidders: Annotated[
        Count,
        _m(
            _("E-mall reverse auction: bidding suppliers needed, at least"),
            Unit.COUNT,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = 2
    mall_auction_min_step_percent: Annotated[
        Percent,
        _m(
            _("E-mall reverse auction: each bid below the current best by at least (of the ceiling price)"),
            Unit.PERCENT,
            _("Regional e-mall rules"),
            Group.MALL,
            unverified=True,
        ),
    ] = Decimal("0.5")

    # -- inspections ---------------------------------------------------------------------
    inspection_sampling_percent: Annotated[
        Percent,
        _m(
            _("Double-random inspection: agencies sampled per round"),
            Unit.PERCENT,
            _("国办发〔2015〕58号; Guangxi double-random inspection practice (2017)"),
            INS,
        ),
    ]
    inspection_min_inspectors: Annotated[
        Count, _m(_("Inspectors per team, at least"), Unit.COUNT, _("国办发〔2015〕58号"), INS)
    ]
    inspection_exclusion_years: Annotated[
        Count,
        _m(
            _("Objects inspected within this many years normally excluded"),
            Unit.YEARS,
            _("Guangxi double-random inspection practice (2017)"),
            INS,
        ),
    ]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        odd = (
            "tender_committee_min",
            "tender_committee_min_large",
            "panel_min",
            "panel_min_above_open_tender_threshold",
        )
        errors: list[tuple[str, Promise]] = [
            (name, _("A committee or panel has an odd number of members."))
            for name in odd
            if getattr(self, name) % 2 == 0
        ]
        if self.tender_committee_min_large < self.tender_committee_min:
            errors.append(("tender_committee_min_large", _("May not be smaller than the ordinary committee.")))
        if self.panel_min_above_open_tender_threshold < self.panel_min:
            errors.append(("panel_min_above_open_tender_threshold", _("May not be smaller than the ordinary panel.")))
        if self.open_tender_threshold_goods_services < self.decentralised_limit_goods_services:
            errors.append(
                ("open_tender_threshold_goods_services", _("May not be below the decentralised-procurement limit."))
            )
        if self.sme_payment_due_max_agreed.n < self.sme_payment_due.n:
            errors.append(("sme_payment_due_max_agreed", _("May not be shorter than the ordinary payment period.")))
        if errors:
            name, message = errors[0]
            # One error at a time, pinned to its field (pydantic cannot attach a model
            # validator's error to a field location, so the field name leads the message).
            raise PydanticCustomError(
                "rule_consistency", "{field}: {message}", {"field": name, "message": str(message)}
            )
        return self

    # -- description -----------------------------------------------------------------------

    @classmethod
    def meta(cls, name: str) -> RuleMeta:
        for item in cls.model_fields[name].metadata:
            if isinstance(item, RuleMeta):
                return item
        raise KeyError(name)

    @classmethod
    def field_names(cls) -> list[str]:
        return list(cls.model_fields)
