"""The method decision as a pure function, with property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhengcai.plans.decision import DecisionItem, Limits, decide, reason_text
from zhengcai.plans.methods import Channel, MallMode, Method, OrganisationForm

LIMITS = Limits(
    decentralised_limit_goods_services=Decimal("1000000"),
    decentralised_limit_works=Decimal("1200000"),
    open_tender_threshold_goods_services=Decimal("2000000"),
    mall_direct_purchase_limit=Decimal("200000"),
    open_tender_threshold_works=Decimal("4000000"),
)


def item(kind: str = "goods", in_mall: bool = True, centralised: bool = False, amount: str = "1") -> DecisionItem:
    return DecisionItem("A02010105", kind, in_mall, centralised, Decimal(amount))


def run(total: str, **kw: object) -> object:
    return decide(items=[item(amount=total, **kw)], total=Decimal(total), limits=LIMITS)  # type: ignore[arg-type]


def test_small_mall_purchase_is_direct() -> None:
    d = run("50000")
    assert d.channel == Channel.E_MALL
    assert d.default_method == Method.E_MALL
    assert d.mall_modes == (MallMode.DIRECT,)
    assert d.needs_change_request(Method.E_MALL) is False


def test_mall_above_direct_limit_is_inquiry_or_auction() -> None:
    d = run("500000")
    assert d.channel == Channel.E_MALL
    assert set(d.mall_modes) == {MallMode.INQUIRY, MallMode.REVERSE_AUCTION}
    assert any("200,000.00" in reason_text(r) for r in d.reasons)


def test_below_limit_not_in_mall_is_bought_by_unit() -> None:
    d = run("300000", in_mall=False)
    assert d.channel == Channel.BELOW_LIMIT
    assert d.default_method == Method.INQUIRY
    assert Method.SINGLE_SOURCE not in d.allowed_methods


def test_between_limit_and_threshold() -> None:
    d = run("1500000")
    assert d.channel == Channel.PROJECT
    assert d.default_method == Method.COMPETITIVE_CONSULTATION
    assert {Method.COMPETITIVE_NEGOTIATION, Method.INQUIRY, Method.OPEN_TENDER} <= set(d.allowed_methods)
    assert OrganisationForm.SELF not in d.allowed_forms


def test_services_between_cannot_use_inquiry() -> None:
    d = run("1500000", kind="services", in_mall=False)
    assert Method.INQUIRY not in d.allowed_methods


def test_at_threshold_is_open_tender_only() -> None:
    d = run("2000000")
    assert d.default_method == Method.OPEN_TENDER
    assert d.allowed_methods == (Method.OPEN_TENDER,)
    assert d.needs_change_request(Method.COMPETITIVE_NEGOTIATION)
    assert any("2,000,000.00" in reason_text(r) for r in d.reasons)


def test_works_use_works_limit() -> None:
    below = run("1100000", kind="works", in_mall=False)
    assert below.channel == Channel.BELOW_LIMIT
    above = run("1200000", kind="works", in_mall=False)
    assert above.channel == Channel.PROJECT
    # Below the works tender threshold (4,000,000) works are negotiated or consulted (Reg Art 25).
    assert above.default_method == Method.COMPETITIVE_CONSULTATION
    assert Method.INQUIRY not in above.allowed_methods


def test_centralised_items_require_centralised_form() -> None:
    d = run("1500000", centralised=True)
    assert d.allowed_forms == (OrganisationForm.CENTRALISED,)


def test_no_items() -> None:
    d = decide(items=[], total=Decimal(0), limits=LIMITS)
    assert d.allowed_methods == ()


RANK = {Channel.E_MALL: 0, Channel.BELOW_LIMIT: 1, Channel.PROJECT: 2}
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000000"), places=2)
kinds = st.sampled_from(["goods", "services", "works"])


@given(a=amounts, b=amounts, kind=kinds, in_mall=st.booleans(), centralised=st.booleans())
def test_raising_the_amount_never_relaxes_the_decision(
    a: Decimal, b: Decimal, kind: str, in_mall: bool, centralised: bool
) -> None:
    low, high = sorted((a, b))
    d_low = decide(items=[DecisionItem("X", kind, in_mall, centralised, low)], total=low, limits=LIMITS)
    d_high = decide(items=[DecisionItem("X", kind, in_mall, centralised, high)], total=high, limits=LIMITS)
    assert RANK[d_high.channel] >= RANK[d_low.channel]  # never from tender back to the mall
    if d_low.default_method == Method.OPEN_TENDER:
        assert d_high.default_method == Method.OPEN_TENDER
    if d_low.channel == Channel.E_MALL and d_high.channel == Channel.E_MALL:
        assert not (MallMode.DIRECT in d_high.mall_modes and MallMode.DIRECT not in d_low.mall_modes)
    assert set(d_high.allowed_forms) <= set(d_low.allowed_forms)


@given(total=amounts, kind=kinds, in_mall=st.booleans(), centralised=st.booleans())
def test_single_source_is_never_a_default_nor_allowed_without_change(
    total: Decimal, kind: str, in_mall: bool, centralised: bool
) -> None:
    d = decide(items=[DecisionItem("X", kind, in_mall, centralised, total)], total=total, limits=LIMITS)
    assert d.default_method != Method.SINGLE_SOURCE
    assert Method.SINGLE_SOURCE not in d.allowed_methods
    assert d.default_method in d.allowed_methods
    assert all(reason_text(r) for r in d.reasons)
