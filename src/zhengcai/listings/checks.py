"""Automatic checks before review (自动校验): pure functions over plain data.

Each check returns a list of results ``{"code", "ok", "severity", "message", "params"}``:
``severity`` is ``blocking`` (submission is refused while it fails) or ``info`` (shown to the
reviewer). ``message`` is rendered in the language active when the check ran; ``describe``
renders it again from ``code`` and ``params`` in the reader's language.

The service (``listings.services``) gathers the data (template, banned words, duplicates,
the rule set's price rule) and calls ``run_checks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengcai.core.money import format_cny
from zhengcai.listings.states import AttributeKind, CheckSeverity, ReferenceSource

BLOCKING = str(CheckSeverity.BLOCKING)
INFO = str(CheckSeverity.INFO)
MAX_TEXT_VALUE = 200
MAX_NUMBER = Decimal("1000000000")


@dataclass(frozen=True)
class SpecRule:
    """The part of an ``AttributeSpec`` a check needs."""

    key: str
    label: str
    kind: str
    required: bool = False
    allowed_values: tuple[str, ...] = ()
    unit: str = ""
    integer: bool = False  # kind number: whole numbers only (pages, sheets, pieces)


@dataclass(frozen=True)
class Candidate:
    """What is checked: the listing as the supplier entered it."""

    title: str
    brand: str
    model: str
    description: str
    specs: dict[str, Any]
    price: Decimal
    reference_price: Decimal
    reference_source: str


@dataclass(frozen=True)
class Context:
    template: Sequence[SpecRule]
    banned_words: Sequence[str] = ()
    price_rule: str = "official_or_ecommerce_lowest"
    own_duplicates: Sequence[str] = ()  # numbers (SP...) of the supplier's listings of the same product
    others_count: int = 0  # listed listings of the same brand and model by other suppliers
    others_lowest: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)


MESSAGES: dict[str, Promise] = {
    "specs.ok": _("All required attributes are filled in and valid."),
    "specs.missing": _("Required attributes missing: %(labels)s."),
    "specs.invalid": _("Attributes not valid for the template: %(labels)s."),
    "duplicate.own": _("You already have this product (same brand, model, category and specifications): %(numbers)s."),
    "duplicate.none": _("No other listing of this brand and model."),
    "duplicate.others": _(
        "%(count)s other supplier(s) list the same brand and model; the lowest price among them is %(lowest)s."
    ),
    "price.ok": _("The price %(price)s is not above the reference price %(reference)s."),
    "price.above": _("The price %(price)s is above the reference price %(reference)s."),
    "price.source": _("The rule set requires the manufacturer's official price as the reference price."),
    "price.no_rule": _("The rule set sets no price cap."),
    "words.ok": _("No banned words."),
    "words.found": _("Banned words used: %(words)s."),
}


def describe(result: dict[str, Any]) -> str:
    """The result's message in the active language (falls back to the stored text)."""
    template = MESSAGES.get(str(result.get("code", "")))
    if template is None:
        return str(result.get("message", ""))
    params = result.get("params") or {}
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(result.get("message", ""))


def _result(code: str, severity: str, *, ok: bool, **params: Any) -> dict[str, Any]:
    clean = {k: str(v) for k, v in params.items()}
    out: dict[str, Any] = {"code": code, "ok": ok, "severity": severity, "params": clean}
    out["message"] = describe(out)
    return out


def _pass(code: str, severity: str, **params: Any) -> dict[str, Any]:
    return _result(code, severity, ok=True, **params)


def _fail(code: str, severity: str, **params: Any) -> dict[str, Any]:
    return _result(code, severity, ok=False, **params)


# -- attribute values ------------------------------------------------------------------------


def clean_spec_value(rule: SpecRule, value: Any) -> tuple[str | None, str | None]:
    """(clean value or None when empty, error message or None) for one attribute."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None, None
    if rule.kind == AttributeKind.NUMBER:
        return _clean_number(text, integer=rule.integer)
    if rule.kind == AttributeKind.CHOICE:
        if text not in rule.allowed_values:
            return None, str(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": "、".join(rule.allowed_values)}
            )
        return text, None
    if len(text) > MAX_TEXT_VALUE:
        return None, str(_("At most %(n)s characters.") % {"n": MAX_TEXT_VALUE})
    return text, None


def _clean_number(text: str, *, integer: bool = False) -> tuple[str | None, str | None]:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, str(_("“%(value)s” is not a number.") % {"value": text})
    if not number.is_finite() or number < 0 or number > MAX_NUMBER:
        return None, str(_("Enter a number from 0 up to 1,000,000,000."))
    if integer and number != number.to_integral():
        return None, str(_("“%(value)s” is not a whole number.") % {"value": text})
    return (format(number.normalize(), "f") if number == number.to_integral() else text), None


def clean_specs(template: Iterable[SpecRule], values: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Keep the template's attributes only; return (clean values, {key: error})."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for rule in template:
        value, error = clean_spec_value(rule, (values or {}).get(rule.key))
        if error:
            errors[rule.key] = error
        elif value is not None:
            clean[rule.key] = value
    return clean, errors


def missing_required(template: Iterable[SpecRule], values: dict[str, Any]) -> list[SpecRule]:
    return [r for r in template if r.required and not str((values or {}).get(r.key) or "").strip()]


# -- the checks ------------------------------------------------------------------------------


def check_specs(candidate: Candidate, template: Sequence[SpecRule]) -> list[dict[str, Any]]:
    """Required attributes present; every value valid for its kind and allowed values."""
    _clean, errors = clean_specs(template, candidate.specs)
    missing = missing_required(template, candidate.specs)
    out = []
    if missing:
        out.append(_fail("specs.missing", BLOCKING, labels="、".join(r.label for r in missing)))
    if errors:
        labels = "、".join(r.label for r in template if r.key in errors)
        out.append(_fail("specs.invalid", BLOCKING, labels=labels))
    return out or [_pass("specs.ok", BLOCKING)]


def check_duplicates(ctx: Context) -> list[dict[str, Any]]:
    """Own duplicate blocks; the same product by others is information with their lowest price."""
    out = []
    if ctx.own_duplicates:
        out.append(_fail("duplicate.own", BLOCKING, numbers="、".join(ctx.own_duplicates)))
    if ctx.others_count:
        lowest = format_cny(ctx.others_lowest) if ctx.others_lowest is not None else "-"
        out.append(_fail("duplicate.others", INFO, count=ctx.others_count, lowest=lowest))
    return out or [_pass("duplicate.none", INFO)]


def check_price(candidate: Candidate, price_rule: str) -> list[dict[str, Any]]:
    """Not above the reference price, per the rule set's ``listing_price_rule``."""
    if price_rule == "none":
        return [_pass("price.no_rule", BLOCKING)]
    if price_rule == "official_price" and candidate.reference_source != ReferenceSource.OFFICIAL:
        return [_fail("price.source", BLOCKING)]
    params = {"price": format_cny(candidate.price), "reference": format_cny(candidate.reference_price)}
    if candidate.price > candidate.reference_price:
        return [_fail("price.above", BLOCKING, **params)]
    return [_pass("price.ok", BLOCKING, **params)]


def find_banned(texts: Iterable[str], words: Iterable[str]) -> list[str]:
    """The banned words occurring in any of ``texts`` (case-insensitive), in the list's order."""
    haystack = "\n".join(t for t in texts if t).casefold()
    return [w for w in words if w and w.casefold() in haystack]


def check_words(candidate: Candidate, words: Sequence[str]) -> list[dict[str, Any]]:
    """No banned word in the title, brand, model, description or attribute values."""
    texts = [candidate.title, candidate.brand, candidate.model, candidate.description]
    texts += [str(v) for v in (candidate.specs or {}).values()]
    found = find_banned(texts, words)
    if found:
        return [_fail("words.found", BLOCKING, words="、".join(found))]
    return [_pass("words.ok", BLOCKING)]


def run_checks(candidate: Candidate, ctx: Context) -> list[dict[str, Any]]:
    return [
        *check_specs(candidate, ctx.template),
        *check_duplicates(ctx),
        *check_price(candidate, ctx.price_rule),
        *check_words(candidate, ctx.banned_words),
    ]


def blocking_failures(results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in results if not r["ok"] and r["severity"] == BLOCKING]


def any_failed(results: Iterable[dict[str, Any]]) -> bool:
    return any(not r["ok"] for r in results)
