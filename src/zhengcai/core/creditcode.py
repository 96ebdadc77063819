"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without
I, O, S, V, Z): registration authority, organisation category, 6-digit administrative
division code, 9-character organisation code, and a check character computed from the
first 17 with weights 3^i mod 31.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(value: str | None) -> str:
    """The code as people mean it: NFKC (full-width ＡＢ１２ -> AB12), no spaces, upper case.

    Codes are often copied from PDFs and Chinese input methods, which produce full-width
    characters and stray (ideographic) spaces; those are typing noise, not different codes.
    """
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(text.split()).upper()


def is_valid(code: str) -> bool:
    code = normalise(code)
    if len(code) != 18 or any(c not in _VALUE for c in code):
        return False
    if not code[2:8].isdigit():
        return False
    return check_character(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    """Django validator with a message that says what is wrong (never the right check character:
    naming it would turn the check into a suggestion and defeat typo detection)."""
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="credit_code_length",
            params={"n": len(code)},
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise ValidationError(
            _("A unified social credit code may not contain: %(chars)s."),
            code="credit_code_chars",
            params={"chars": " ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code are the administrative division code (digits)."),
            code="credit_code_region",
        )
    if code[17] != check_character(code[:17]):
        raise ValidationError(
            _(
                "This unified social credit code does not add up: one of its characters is probably mistyped. "
                "Compare it with the business licence."
            ),
            code="credit_code_check",
        )


def make_code(prefix: str, division: str, org_code8: str) -> str:
    """Build a valid code from its parts (demo data and tests): '91', '330802', 8 chars."""
    first17 = f"{prefix}{division}{org_code8}"
    if len(first17) != 17:
        raise ValueError("prefix(2) + division(6) + organisation code(9 with its own check) = 17")
    return first17 + check_character(first17)
