"""Unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhengcai.core.creditcode import ALPHABET, check_character, is_valid, make_code, normalise, validate_credit_code

# Codes published on the national enterprise credit information system.
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91100000100003962T",  # 中国工商银行股份有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000802100433B",  # 百度在线网络技术（北京）有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid(code)
    assert is_valid(code.lower())
    assert is_valid(f"  {code} ")
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_other_check_character_is_refused(code: str) -> None:
    for c in ALPHABET:
        if c != code[17]:
            assert not is_valid(code[:17] + c)


def test_make_code_builds_valid_codes() -> None:
    code = make_code("91", "330802", "MA28F3A1X")
    assert code == "91330802MA28F3A1X" + check_character("91330802MA28F3A1X")
    assert is_valid(code)
    # The check character of 91330000MA28F3A1X is M, so ...XK is not a valid code.
    assert make_code("91", "330000", "MA28F3A1X") == "91330000MA28F3A1XM"
    assert not is_valid("91330000MA28F3A1XK")
    with pytest.raises(ValueError, match="17"):
        make_code("91", "3308", "MA28F3A1X")


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91330802", "credit_code_length"),
        ("", "credit_code_length"),
        ("91330802MA28F3A1XI", "credit_code_chars"),  # I is not in the alphabet
        ("91330802MA28F3A1O0", "credit_code_chars"),
        ("91A30802MA28F3A1X0", "credit_code_region"),
        ("91330000MA28F3A1XK", "credit_code_check"),
    ],
)
def test_validator_says_what_is_wrong(code: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert err.value.code == error_code
    assert not is_valid(code)


def test_check_message_does_not_reveal_the_expected_character() -> None:
    # "expected M" would let anyone fix a typo (or forge a code) without the licence.
    with pytest.raises(ValidationError) as err:
        validate_credit_code("91330000MA28F3A1XK")
    assert not err.value.params
    message = " ".join(err.value.messages)
    assert "(M)" not in message
    assert " M" not in message
    assert "expected" not in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("９１３３００００ＭＡ２８Ｆ３Ａ１ＸＭ", "91330000MA28F3A1XM"),  # full-width digits and letters
        ("91330000 MA28 F3A1 XM", "91330000MA28F3A1XM"),
        ("\u300091330000ma28f3a1xm\u3000", "91330000MA28F3A1XM"),  # ideographic spaces, lower case
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_folds_width_case_and_spaces(raw: str | None, expected: str) -> None:
    assert normalise(raw) == expected


def test_full_width_codes_validate() -> None:
    full_width = "９１３３００００ＭＡ２８Ｆ３Ａ１ＸＭ"
    assert is_valid(full_width)
    validate_credit_code(full_width)
    with pytest.raises(ValidationError) as err:
        validate_credit_code("９１３３００００ＭＡ２８Ｆ３Ａ１ＸＫ")
    assert err.value.code == "credit_code_check"


@given(
    st.sampled_from(["11", "12", "31", "51", "52", "91", "92", "93", "Y1"]),
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)
def test_made_codes_validate_and_single_substitutions_fail(prefix: str, division: str, org: str) -> None:
    code = make_code(prefix, division, org)
    assert is_valid(code)
    # The weights are non-zero mod 31 (a prime), so changing any one character changes the check.
    for i in range(17):
        replacement = ALPHABET[(ALPHABET.index(code[i]) + 1) % 31]
        changed = code[:i] + replacement + code[i + 1 :]
        if changed[2:8].isdigit():
            assert not is_valid(changed)
