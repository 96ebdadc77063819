"""The rule-set versions the platform ships with (RULES.md), loaded by ``rules_seed_defaults``.

National versions follow the SME policy changes (财库〔2020〕46号 from 2021-01-01, 财库〔2022〕19号
for goods and services from 2022-07-01); the thresholds are the central defaults of
国办发〔2019〕55号. Zhejiang (330000) re-issues each national version without bid bonds
(浙财采监〔2019〕5号, from 2019-06-01) and with purchaser-proposed temporary experts at 1:3.
Every version is a complete snapshot, so a process stamped with one never needs another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_noop

from zhengcai.rules.values import ListingPriceRule, RuleValues, band, days, wd

ZHEJIANG_CODE = "330000"


def national_2021() -> RuleValues:
    """The national rule set with the SME bands of 财库〔2020〕46号."""
    return RuleValues(
        open_tender_bidding_period=days(20),
        tender_notice_period=wd(5),
        tender_documents_available=wd(5),
        tender_documents_min_takers=3,
        tender_clarification_before_deadline=days(15),
        prequalification_clarification_before_deadline=days(3),
        negotiation_response_period=wd(3),
        negotiation_clarification_before_deadline=wd(3),
        consultation_response_period=days(10),
        consultation_documents_available=wd(5),
        consultation_clarification_before_deadline=days(5),
        single_source_notice_period=wd(5),
        single_source_objection_review=wd(5),
        intention_notice_before_start=days(30),
        evaluation_report_due=wd(2),
        winner_confirmation_due=wd(5),
        award_notice_due=wd(2),
        award_notice_period=wd(1),
        contract_signing_due=days(30),
        contract_publication_due=wd(2),
        contract_filing_due=wd(7),
        addon_contract_max_percent=Decimal(10),
        records_retention_years=15,
        tender_min_bidders=3,
        tender_min_qualified_bids=3,
        invited_tender_min_suppliers=3,
        invited_tender_pool_multiple=2,
        negotiation_min_invited=3,
        negotiation_min_final_offers=3,
        negotiation_recommended_max_percent=Decimal(50),
        tender_committee_min=5,
        tender_committee_min_large=7,
        tender_committee_large_budget=Decimal(10_000_000),
        committee_expert_share_min=Fraction(2, 3),
        panel_min=3,
        panel_min_above_open_tender_threshold=5,
        negotiation_min_candidates=3,
        framework_min_elimination_percent=Decimal(20),
        framework_term_goods_years=1,
        framework_term_services_years=2,
        framework_calloff_publication_due=wd(2),
        price_weight_goods_min_percent=Decimal(30),
        price_weight_services_min_percent=Decimal(10),
        consultation_price_weight_goods=band("30", "60"),
        consultation_price_weight_services=band("10", "30"),
        abnormally_low_price_percent=None,
        sme_small_micro_deduction=band("6", "10"),
        sme_consortium_deduction=band("2", "3"),
        sme_works_deduction=band("3", "5"),
        sme_works_consortium_deduction=band("1", "2"),
        sme_subcontract_min_percent=Decimal(30),
        sme_reserved_max_goods_services=Decimal(2_000_000),
        sme_reserved_max_works=Decimal(4_000_000),
        sme_reserved_share_large_percent=Decimal(30),
        sme_reserved_small_micro_percent=Decimal(60),
        sme_reserved_min_responses=3,
        expert_conflict_lookback_years=3,
        expert_draw_earliest_before_evaluation=wd(2),
        temporary_expert_candidates_per_seat=None,
        inquiry_answer_due=wd(3),
        challenge_filing_window=wd(7),
        challenge_answer_due=wd(7),
        complaint_filing_window=wd(15),
        complaint_acceptance_review=wd(5),
        complaint_copies_due=wd(8),
        complaint_reply_due=wd(5),
        complaint_decision_due=wd(30),
        complaint_suspension_max=days(30),
        abusive_complaints_count=3,
        abusive_complaints_window_months=12,
        bid_bond_allowed=True,
        bid_bond_max_percent=Decimal(2),
        bid_bond_refund_due=wd(5),
        late_refund_interest_markup_percent=Decimal(20),
        performance_bond_max_percent=Decimal(10),
        payment_due=days(30),
        sme_payment_due=days(30),
        sme_payment_due_max_agreed=days(60),
        decentralised_limit_goods_services=Decimal(1_000_000),
        decentralised_limit_works=Decimal(1_200_000),
        open_tender_threshold_goods_services=Decimal(2_000_000),
        mall_direct_purchase_limit=Decimal(200_000),
        listing_price_rule=ListingPriceRule.OFFICIAL_OR_ECOMMERCE_LOWEST,
        open_tender_threshold_works=Decimal(4_000_000),
        mall_order_confirm_due=wd(1),
        mall_price_review_change_percent=Decimal(10),
        mall_qualification_warning_days=30,
        mall_inquiry_min_quotes=3,
        mall_inquiry_min_period=days(1),
        mall_auction_min_bidders=2,
        mall_auction_min_step_percent=Decimal("0.5"),
        inspection_sampling_percent=Decimal(20),
        inspection_min_inspectors=2,
        inspection_exclusion_years=3,
    )


def national_2022() -> RuleValues:
    """财库〔2022〕19号: goods and services SME bands raised; works as in 46."""
    return national_2021().model_copy(
        update={"sme_small_micro_deduction": band("10", "20"), "sme_consortium_deduction": band("4", "6")}
    )


def zhejiang(values: RuleValues) -> RuleValues:
    """Zhejiang on top of a national version: no bid bonds, temporary experts at 1:3."""
    return values.model_copy(update={"bid_bond_allowed": False, "temporary_expert_candidates_per_seat": 3})


@dataclass(frozen=True)
class DefaultVersion:
    """One shipped version. ``source`` and ``notes`` are stored as these (English) catalogue
    keys and translated when shown (``display.stored_text``), so a Chinese page reads Chinese
    whichever language the seeding ran under."""

    region_code: str | None  # None: national
    effective_from: dt.date
    version_label: str
    source: str
    notes: str
    values: RuleValues


def default_versions() -> list[DefaultVersion]:
    n2021, n2022 = national_2021(), national_2022()
    return [
        DefaultVersion(
            None,
            dt.date(2021, 1, 1),
            "全国 2021",
            gettext_noop("财库〔2020〕46号; 国办发〔2019〕55号"),
            gettext_noop("SME price deduction 6-10% (consortium 2-3%; works 3-5%, consortium 1-2%)."),
            n2021,
        ),
        DefaultVersion(
            None,
            dt.date(2022, 7, 1),
            "全国 2022",
            gettext_noop("财库〔2022〕19号; 国办发〔2019〕55号"),
            gettext_noop("SME price deduction for goods and services raised to 10-20% (consortium 4-6%)."),
            n2022,
        ),
        DefaultVersion(
            ZHEJIANG_CODE,
            dt.date(2021, 1, 1),
            "浙江 2021",
            gettext_noop("浙财采监〔2019〕5号; 财库〔2020〕46号"),
            gettext_noop("No bid bond for goods and services (since 2019-06-01); temporary experts 1:3."),
            zhejiang(n2021),
        ),
        DefaultVersion(
            ZHEJIANG_CODE,
            dt.date(2022, 7, 1),
            "浙江 2022",
            gettext_noop("浙财采监〔2019〕5号; 财库〔2022〕19号"),
            gettext_noop("National 2022 SME bands; no bid bond; temporary experts 1:3."),
            zhejiang(n2022),
        ),
    ]
