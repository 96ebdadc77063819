"""The automatic checks as pure functions: each rule, both outcomes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhengcai.listings import checks
from zhengcai.listings.checks import Candidate, Context, SpecRule

TEMPLATE = (
    SpecRule("size", "规格", "choice", required=True, allowed_values=("A4", "A3")),
    SpecRule("sheets", "每包张数", "number", required=True, unit="张"),
    SpecRule("note", "备注", "text"),
)


def candidate(**overrides: Any) -> Candidate:
    data: dict[str, Any] = {
        "title": "A4 复印纸",
        "brand": "得力",
        "model": "DL-1",
        "description": "",
        "specs": {"size": "A4", "sheets": "500"},
        "price": Decimal("20.00"),
        "reference_price": Decimal("25.00"),
        "reference_source": "ecommerce",
    }
    data.update(overrides)
    return Candidate(**data)


def codes(results: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    return [(r["code"], r["ok"]) for r in results]


def test_specs_pass_and_fail() -> None:
    assert codes(checks.check_specs(candidate(), TEMPLATE)) == [("specs.ok", True)]
    missing = checks.check_specs(candidate(specs={"size": "A4"}), TEMPLATE)
    assert codes(missing) == [("specs.missing", False)]
    assert "每包张数" in missing[0]["message"]
    invalid = checks.check_specs(candidate(specs={"size": "B9", "sheets": "lots"}), TEMPLATE)
    assert codes(invalid) == [("specs.invalid", False)]
    assert invalid[0]["severity"] == "blocking"


def test_clean_spec_values() -> None:
    clean, errors = checks.clean_specs(TEMPLATE, {"size": " A3 ", "sheets": "500.0", "note": "x" * 201, "extra": "y"})
    assert clean == {"size": "A3", "sheets": "500"}
    assert set(errors) == {"note"}
    _c, errors = checks.clean_specs(TEMPLATE, {"sheets": "-1"})
    assert "sheets" in errors


def test_duplicates() -> None:
    assert codes(checks.check_duplicates(Context(template=TEMPLATE))) == [("duplicate.none", True)]
    own = checks.check_duplicates(Context(template=TEMPLATE, own_duplicates=["SP00000007"]))
    assert own[0]["severity"] == "blocking"
    assert "SP00000007" in own[0]["message"]
    others = checks.check_duplicates(Context(template=TEMPLATE, others_count=2, others_lowest=Decimal("18.80")))
    assert others[0]["severity"] == "info"
    assert not others[0]["ok"]
    assert "18.80" in others[0]["message"]


def test_price_rules() -> None:
    assert codes(checks.check_price(candidate(), "official_or_ecommerce_lowest")) == [("price.ok", True)]
    above = candidate(price=Decimal("25.01"))
    assert codes(checks.check_price(above, "official_or_ecommerce_lowest")) == [("price.above", False)]
    assert codes(checks.check_price(candidate(), "official_price")) == [("price.source", False)]
    official = candidate(reference_source="official")
    assert codes(checks.check_price(official, "official_price")) == [("price.ok", True)]
    assert codes(checks.check_price(above, "none")) == [("price.no_rule", True)]


def test_banned_words() -> None:
    words = ["最低价", "第一"]
    assert codes(checks.check_words(candidate(), words)) == [("words.ok", True)]
    hit = checks.check_words(candidate(description="全网最低价", specs={"size": "行业第一"}), words)
    assert codes(hit) == [("words.found", False)]
    assert "最低价" in hit[0]["message"]
    assert "第一" in hit[0]["message"]
    assert checks.find_banned(["BEST price"], ["best"]) == ["best"]


def test_run_checks_and_describe() -> None:
    results = checks.run_checks(candidate(price=Decimal("30")), Context(template=TEMPLATE, banned_words=["绝对"]))
    failures = checks.blocking_failures(results)
    assert [r["code"] for r in failures] == ["price.above"]
    assert checks.any_failed(results)
    assert checks.describe({"code": "unknown", "message": "kept"}) == "kept"
