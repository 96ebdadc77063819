"""The method decision: which channel and method the rules give a plan, and why.

A PURE function of the items (with their catalogue entries), the total, the rule values in
force for the unit's region and the organisation form. Every number comes from the rule
set; nothing here knows a threshold. The reasons are codes with parameters, translated when
shown (``reason_text``), so a plan keeps the reasons it was filed with in any language.

The rules:
- Works use the works limit; a plan with any goods or services item uses the goods and
  services numbers (the stricter, lower limit).
- Below the decentralised-procurement limit (不足限额) and every item in the mall catalogue:
  the e-mall — direct purchase up to the mall's direct-purchase limit, above it online
  inquiry or reverse auction.
- Below the limit otherwise: outside the statutory methods; the unit buys itself, inquiry by
  default, any method but single source allowed.
- At or above the open-tender threshold (goods and services): open tender; any other method
  only by a method-change request to the regulator (Law Art 27).
- Between: the non-tender methods (competitive consultation by default, competitive
  negotiation, inquiry when every item is goods — Law Art 32) and open tender.
- Works at or above the works tender threshold of the rule set (``open_tender_threshold_works``,
  4,000,000 by default: NDRC Order 16, Art 5): open tender under the Bidding Law, other methods
  by method change. Works between the works limit and that threshold: competitive consultation
  by default, competitive negotiation or open tender (Reg Art 25); never inquiry (goods only).
- Inquiry is offered only where every item is goods (Law Art 32); the reasons never name a
  method the plan is not offered.
- Single source is never a default: always a change request with its statutory ground.
- Items in the centralised catalogue outside the e-mall must be bought through the
  centralised procurement agency (集中采购); the unit buys by itself only below the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengcai.core.money import format_cny
from zhengcai.plans.methods import Channel, MallMode, Method, OrganisationForm

GOODS, WORKS, SERVICES = "goods", "works", "services"


@dataclass(frozen=True)
class DecisionItem:
    code: str
    kind: str  # goods | works | services
    in_mall: bool
    is_centralised: bool
    amount: Decimal


@dataclass(frozen=True)
class Limits:
    """The five numbers of the rule set the decision reads."""

    decentralised_limit_goods_services: Decimal
    decentralised_limit_works: Decimal
    open_tender_threshold_goods_services: Decimal
    mall_direct_purchase_limit: Decimal
    open_tender_threshold_works: Decimal

    @classmethod
    def from_rules(cls, values: Any) -> Limits:
        return cls(
            decentralised_limit_goods_services=values.decentralised_limit_goods_services,
            decentralised_limit_works=values.decentralised_limit_works,
            open_tender_threshold_goods_services=values.open_tender_threshold_goods_services,
            mall_direct_purchase_limit=values.mall_direct_purchase_limit,
            open_tender_threshold_works=values.open_tender_threshold_works,
        )


@dataclass(frozen=True)
class Decision:
    channel: str
    default_method: str
    allowed_methods: tuple[str, ...]
    mall_modes: tuple[str, ...]
    allowed_forms: tuple[str, ...]
    reasons: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def needs_change_request(self, method: str) -> bool:
        return method not in self.allowed_methods

    def form_allowed(self, form: str) -> bool:
        return form in self.allowed_forms

    @property
    def default_form(self) -> str:
        """The organisation form a new plan starts with: the only one allowed, else decentralised."""
        if OrganisationForm.DECENTRALISED in self.allowed_forms:
            return str(OrganisationForm.DECENTRALISED)
        return str(self.allowed_forms[0]) if self.allowed_forms else str(OrganisationForm.DECENTRALISED)

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "default_method": self.default_method,
            "allowed_methods": list(self.allowed_methods),
            "mall_modes": list(self.mall_modes),
            "allowed_forms": list(self.allowed_forms),
            "reasons": [dict(r) for r in self.reasons],
        }


def _reason(reason_code: str, /, **params: Any) -> dict[str, Any]:
    return {"code": reason_code, "params": {k: str(v) for k, v in params.items()}}


ALL_FORMS = tuple(OrganisationForm.values)


def decide(*, items: Sequence[DecisionItem], total: Decimal, limits: Limits, form: str = "") -> Decision:
    """The channel, default method, allowed methods and reasons for a plan."""
    reasons: list[dict[str, Any]] = []
    if not items:
        return Decision(Channel.BELOW_LIMIT, Method.INQUIRY, (), (), ALL_FORMS, (_reason("no_items"),))
    works_only = all(i.kind == WORKS for i in items)
    goods_only = all(i.kind == GOODS for i in items)
    all_mall = all(i.in_mall for i in items)
    # One code once, however many rows carry it (two rows of desktops are one reason).
    centralised = list(dict.fromkeys(i.code for i in items if i.is_centralised))
    limit = limits.decentralised_limit_works if works_only else limits.decentralised_limit_goods_services
    reasons.append(_reason("works_limit" if works_only else "goods_services_limit", limit=format_cny(limit)))

    if total < limit:
        if all_mall:
            direct = total <= limits.mall_direct_purchase_limit
            reasons.append(_reason("mall_catalogue", total=format_cny(total), limit=format_cny(limit)))
            reasons.append(
                _reason(
                    "mall_direct" if direct else "mall_inquiry",
                    total=format_cny(total),
                    direct_limit=format_cny(limits.mall_direct_purchase_limit),
                )
            )
            modes = (MallMode.DIRECT,) if direct else (MallMode.INQUIRY, MallMode.REVERSE_AUCTION)
            return Decision(
                Channel.E_MALL, Method.E_MALL, (Method.E_MALL,), tuple(str(m) for m in modes), ALL_FORMS, tuple(reasons)
            )
        outside = next(i.code for i in items if not i.in_mall)
        reasons.append(
            _reason(
                "below_limit_centralised" if centralised else "below_limit",
                total=format_cny(total),
                limit=format_cny(limit),
                code=outside,
            )
        )
        allowed = [
            Method.INQUIRY,
            Method.COMPETITIVE_NEGOTIATION,
            Method.COMPETITIVE_CONSULTATION,
            Method.OPEN_TENDER,
        ]
        forms = ALL_FORMS
        if centralised:
            reasons.append(_reason("centralised_items", codes=", ".join(centralised)))
            forms = (OrganisationForm.CENTRALISED,)
        reasons.append(_reason("single_source_change"))
        return Decision(
            Channel.BELOW_LIMIT, Method.INQUIRY, tuple(str(m) for m in allowed), (), tuple(forms), tuple(reasons)
        )

    forms_above: tuple[str, ...] = (
        (OrganisationForm.CENTRALISED,)
        if centralised
        else (OrganisationForm.CENTRALISED, OrganisationForm.DECENTRALISED)
    )
    if centralised:
        reasons.append(_reason("centralised_items", codes=", ".join(centralised)))
    else:
        reasons.append(_reason("above_limit_no_self", limit=format_cny(limit)))

    if works_only:
        return _works(total=total, limit=limit, limits=limits, forms=forms_above, reasons=reasons)

    threshold = limits.open_tender_threshold_goods_services
    if total >= threshold:
        reasons.append(_reason("open_tender", total=format_cny(total), threshold=format_cny(threshold)))
        reasons.append(_reason("single_source_change"))
        return Decision(Channel.PROJECT, Method.OPEN_TENDER, (Method.OPEN_TENDER,), (), forms_above, tuple(reasons))

    allowed_between = [Method.COMPETITIVE_CONSULTATION, Method.COMPETITIVE_NEGOTIATION]
    if goods_only:
        allowed_between.append(Method.INQUIRY)
        reasons.append(_reason("inquiry_goods"))
    else:
        reasons.append(_reason("inquiry_not_services"))
    allowed_between.append(Method.OPEN_TENDER)
    reasons.append(
        _reason(
            "between_goods" if goods_only else "between_no_inquiry",
            total=format_cny(total),
            limit=format_cny(limit),
            threshold=format_cny(threshold),
        )
    )
    reasons.append(_reason("single_source_change"))
    return Decision(
        Channel.PROJECT,
        Method.COMPETITIVE_CONSULTATION,
        tuple(str(m) for m in allowed_between),
        (),
        forms_above,
        tuple(reasons),
    )


def _works(
    *, total: Decimal, limit: Decimal, limits: Limits, forms: tuple[str, ...], reasons: list[dict[str, Any]]
) -> Decision:
    """Works at or above the works limit: open tender from the works tender threshold, below
    it the negotiated methods (Reg Art 25) or open tender; never inquiry."""
    threshold = limits.open_tender_threshold_works
    if total >= threshold:
        reasons.append(_reason("works_open_tender", total=format_cny(total), threshold=format_cny(threshold)))
        reasons.append(_reason("single_source_change"))
        return Decision(Channel.PROJECT, Method.OPEN_TENDER, (Method.OPEN_TENDER,), (), forms, tuple(reasons))
    reasons.append(
        _reason("works_between", total=format_cny(total), limit=format_cny(limit), threshold=format_cny(threshold))
    )
    reasons.append(_reason("single_source_change"))
    allowed = (Method.COMPETITIVE_CONSULTATION, Method.COMPETITIVE_NEGOTIATION, Method.OPEN_TENDER)
    return Decision(
        Channel.PROJECT, Method.COMPETITIVE_CONSULTATION, tuple(str(m) for m in allowed), (), forms, tuple(reasons)
    )


REASON_TEXTS: dict[str, Any] = {
    "no_items": _("Add at least one item: the decision depends on the items and the total."),
    "goods_services_limit": _(
        "Goods and services: the decentralised-procurement limit of the rule set in force is %(limit)s."
    ),
    "works_limit": _("Works only: the decentralised-procurement limit for works in the rule set is %(limit)s."),
    "mall_catalogue": _(
        "The total %(total)s is below the limit %(limit)s and every item is in the e-mall catalogue: buy in the e-mall."
    ),
    "mall_direct": _("Up to %(direct_limit)s the e-mall allows direct purchase; the total is %(total)s."),
    "mall_inquiry": _(
        "The total %(total)s is above the e-mall's direct-purchase limit %(direct_limit)s: "
        "online inquiry or reverse auction."
    ),
    "below_limit": _(
        "The total %(total)s is below the limit %(limit)s but item %(code)s is not in the e-mall catalogue: "
        "the unit buys it itself, by inquiry unless it chooses another method."
    ),
    "below_limit_centralised": _(
        "The total %(total)s is below the limit %(limit)s but item %(code)s is not in the e-mall catalogue: "
        "inquiry unless another method is chosen."
    ),
    "centralised_items": _(
        "Items %(codes)s are in the centralised procurement catalogue: they must be bought through the "
        "centralised procurement agency (organisation form: centralised)."
    ),
    "above_limit_no_self": _(
        "At or above the limit %(limit)s the unit may not buy by itself: centralised or decentralised procurement."
    ),
    "open_tender": _(
        "The total %(total)s reaches the open-tender threshold %(threshold)s: open tender; any other method "
        "needs the regulator's approval of a method change (Law Art 27)."
    ),
    # Kept for plans filed before the works tender threshold was in the rule set.
    "works_tender": _(
        "Works of %(total)s at or above the works limit %(limit)s: open tender under the Bidding Law; other "
        "methods need a method change (Reg Art 25)."
    ),
    "works_open_tender": _(
        "Works of %(total)s reach the works tender threshold %(threshold)s: open tender under the Bidding Law; "
        "other methods need a method change."
    ),
    "works_between": _(
        "Works of %(total)s are between the works limit %(limit)s and the works tender threshold %(threshold)s: "
        "competitive consultation by default; competitive negotiation and open tender are also allowed "
        "(Reg Art 25)."
    ),
    "between_goods": _(
        "The total %(total)s is between the limit %(limit)s and the open-tender threshold %(threshold)s: "
        "competitive consultation by default; competitive negotiation, inquiry and open tender are also allowed."
    ),
    "between_no_inquiry": _(
        "The total %(total)s is between the limit %(limit)s and the open-tender threshold %(threshold)s: "
        "competitive consultation by default; competitive negotiation and open tender are also allowed."
    ),
    # Kept for plans filed before the texts above: their stored reasons still read.
    "between": _(
        "The total %(total)s is between the limit %(limit)s and the open-tender threshold %(threshold)s: "
        "competitive consultation by default; competitive negotiation, inquiry (goods only) and open tender "
        "are also allowed."
    ),
    "inquiry_goods": _("Every item is goods, so inquiry is possible (uniform specifications, Law Art 32)."),
    "inquiry_not_services": _("Inquiry is for goods only (Law Art 32); this plan has services or works."),
    "single_source_change": _(
        "Single source is never the default: it needs a method change with its statutory ground "
        "(Law Art 31, Reg Art 27) and a public notice before approval."
    ),
}


def reason_text(reason: dict[str, Any]) -> str:
    """One stored reason in the current language."""
    template = REASON_TEXTS.get(reason.get("code", ""))
    if template is None:
        return str(reason.get("code", ""))
    try:
        return str(template) % reason.get("params", {})
    except (KeyError, TypeError, ValueError):
        return str(template)
