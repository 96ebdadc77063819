"""CNY amounts: parsing, formatting and Chinese capital amounts (大写金额)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import MAX_AMOUNT, amount_in_words, cny, format_cny


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", Decimal("1234.50")),
        ("1,234.56", Decimal("1234.56")),
        ("¥1,234.56", Decimal("1234.56")),
        ("  ￥7 ", Decimal("7.00")),
        ("0.005", Decimal("0.01")),  # half up
        ("0.004", Decimal("0.00")),
        ("2.675", Decimal("2.68")),  # a float would give 2.67
        (12, Decimal("12.00")),
        (Decimal("99.995"), Decimal("100.00")),
        ("+3", Decimal("3.00")),
    ],
)
def test_cny_parses_and_rounds_half_up(raw: object, expected: Decimal) -> None:
    value = cny(raw)  # type: ignore[arg-type]
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "1.2.3", "1,23.00", "12e3", "NaN", "Infinity", "1 000", "--1", "1,000,00", "¥", "0x10"],
)
def test_cny_rejects_bad_strings(raw: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        cny(raw)
    assert err.value.code == "money_invalid"


def test_cny_rejects_floats_booleans_and_other_types() -> None:
    with pytest.raises(ValidationFailed) as err:
        cny(1.5)  # type: ignore[arg-type]
    assert err.value.code == "money_float"
    assert str(err.value.message)
    with pytest.raises(ValidationFailed):
        cny(True)  # type: ignore[arg-type]  # noqa: FBT003
    with pytest.raises(ValidationFailed):
        cny(None)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        cny(Decimal("NaN"))


def test_cny_negative_and_limits() -> None:
    with pytest.raises(ValidationFailed) as err:
        cny("-1")
    assert err.value.code == "money_negative"
    assert cny("-1", allow_negative=True) == Decimal("-1.00")
    assert cny("-0.001", allow_negative=True) == Decimal("0.00")
    assert str(cny("-0.001", allow_negative=True)) == "0.00"
    assert cny(MAX_AMOUNT) == MAX_AMOUNT
    with pytest.raises(ValidationFailed) as err:
        cny("1000000000000")
    assert err.value.code == "money_too_large"


def test_format_cny() -> None:
    assert format_cny(Decimal("1234567.89")) == "¥1,234,567.89"
    assert format_cny(Decimal("0")) == "¥0.00"
    assert format_cny(Decimal("5")) == "¥5.00"
    assert format_cny(Decimal("-12.3")) == "-¥12.30"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("100.00", "壹佰元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("0.55", "伍角伍分"),
        ("1000.05", "壹仟元零伍分"),
        ("100000.10", "壹拾万元零壹角"),
        ("10.00", "壹拾元整"),
        ("15.80", "壹拾伍元捌角"),  # PBOC: a leading 1 is written 壹拾
        ("101000.00", "壹拾万壹仟元整"),
        ("100000000.00", "壹亿元整"),
        ("0.00", "零元整"),
        ("1.00", "壹元整"),
        ("1409.50", "壹仟肆佰零玖元伍角"),  # PBOC example: 零 between digits
        ("6007.14", "陆仟零柒元壹角肆分"),  # PBOC example: one 零 for a run of zeros
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  # PBOC example: 元 digit 0, 角 not 0
        ("107000.53", "壹拾万柒仟元零伍角叁分"),  # PBOC example
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # PBOC example: 角 0, 分 not 0
        ("325.04", "叁佰贰拾伍元零肆分"),  # PBOC example
        ("10.05", "壹拾元零伍分"),
        ("1010.00", "壹仟零壹拾元整"),
        ("100700.00", "壹拾万零柒佰元整"),  # leading zero inside the lower section
        ("1000001.00", "壹佰万零壹元整"),
        ("100000001.00", "壹亿零壹元整"),  # an empty 万 section reads as one 零
        ("100010000.00", "壹亿零壹万元整"),
        ("100001000.00", "壹亿零壹仟元整"),
        ("110000.00", "壹拾壹万元整"),
        ("20000000.00", "贰仟万元整"),
        ("300000000000.00", "叁仟亿元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_refuses_negative_and_float() -> None:
    with pytest.raises(ValidationFailed):
        amount_in_words(Decimal("-1.00"))
    with pytest.raises(ValidationFailed):
        amount_in_words(1.5)  # type: ignore[arg-type]


_DIGIT_VALUE = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT_VALUE = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(words: str) -> Decimal:
    """An independent reader for the capitals, to check the writer round-trips."""
    total = Decimal(0)
    if "元" in words:
        integer, _sep, frac = words.partition("元")
    else:
        integer, frac = "", words
    big = 0
    section = 0
    digit = 0
    for ch in integer:
        if ch in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[ch]
        elif ch in _UNIT_VALUE:
            section += digit * _UNIT_VALUE[ch]
            digit = 0
        elif ch == "万":
            big += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            big = (big + section + digit) * 10**8
            section = digit = 0
    total += big + section + digit
    frac = frac.replace("整", "").replace("零", "")
    for ch, unit in zip(frac[::2], frac[1::2], strict=True):
        total += Decimal(_DIGIT_VALUE[ch]) * (Decimal("0.1") if unit == "角" else Decimal("0.01"))
    return total


@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False))
def test_amount_in_words_round_trips(amount: Decimal) -> None:
    words = amount_in_words(amount)
    assert _read_back(words) == amount
    assert "零零" not in words
    assert not words.endswith("零")
    assert words.endswith(("整", "角", "分"))


@pytest.mark.parametrize("value", ["1" * 31, "1e40", Decimal("1e40"), 10**40, "-" + "9" * 40])
def test_huge_amounts_are_refused_with_a_message_not_an_exception(value):
    with pytest.raises(ValidationFailed) as info:
        cny(value, allow_negative=True)
    assert info.value.code in {"money_too_large", "money_invalid"}


def test_the_limit_itself_is_an_amount_but_rounding_past_it_is_not():
    assert cny("999999999999.99") == Decimal("999999999999.99")
    with pytest.raises(ValidationFailed):
        cny("999999999999.995")
