"""Writes to inquiries and auctions: publish, cancel, re-publish (and the shared helpers).

Quotes and bids (the suppliers' side) live in ``responses.py``; the clock closing events and
the award in ``outcomes.py``. Every service runs in one transaction: lock (the plan, then the
event) -> check permission -> check state -> change -> audit -> notify through the outbox.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Membership
from zhengcai.audit.services import audit_record
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.core import clock
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import FEN, ZERO, format_cny
from zhengcai.listings import selectors as listing_selectors
from zhengcai.listings.models import Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.notify.services import notification_send
from zhengcai.orders import selectors as order_selectors
from zhengcai.orders.services import unit_actor
from zhengcai.orders.states import ENDED_UNSOLD
from zhengcai.plans import holds as plan_holds
from zhengcai.plans.methods import Channel, MallMode
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.services import lock_plan
from zhengcai.plans.states import IN_FORCE
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import ruleset_stamp, working_calendar
from zhengcai.rules.values import PeriodValue
from zhengcai.sourcing import permissions
from zhengcai.sourcing.inputs import ItemInput, clean_items, clean_price, parse_day, parse_when
from zhengcai.sourcing.models import Bid, Quote, SourcingEvent, SourcingItem
from zhengcai.sourcing.states import SOURCING_MACHINE, Kind, Status
from zhengcai.suppliers import selectors as supplier_selectors

MODE_FOR_KIND = {Kind.INQUIRY: MallMode.INQUIRY, Kind.AUCTION: MallMode.REVERSE_AUCTION}
MAX_OPEN_DAYS = 60
MIN_AUCTION_MINUTES = 10
MAX_AUCTION_DAYS = 7


# -- helpers ---------------------------------------------------------------------------------


def audit_event(actor: Actor, action: str, event: SourcingEvent, **data: Any) -> None:
    payload = {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}
    audit_record(actor=actor, action=action, obj=event, data=payload, region_code=event.region_code)


def event_url(event: SourcingEvent) -> str:
    return f"/mall/sourcing/{event.pk}/"


def org_users(org_ids: list[int]) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=org_ids, organisation__is_active=True, is_active=True
            ).values_list("user_id", flat=True)
        )
    )


def respondent_ids(event: SourcingEvent) -> list[int]:
    """The suppliers that quoted (inquiry) or bid (auction)."""
    model = Quote if event.kind == Kind.INQUIRY else Bid
    return sorted(set(model.objects.filter(event=event).values_list("supplier_id", flat=True)))


def notify(actor: Actor, event: SourcingEvent, *, org_ids: list[int], key: str, title: str) -> None:
    recipients = org_users(org_ids)
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            title=title[:200],
            url=event_url(event),
            key=f"sourcing:{event.pk}:{key}",
            organisation_id=event.organisation_id,
        )


def lock_event(*, actor: Actor, event_id: int, action: str) -> SourcingEvent:
    """The event, locked; NotFound unless the actor sees it, NotPermitted unless it may ``action``."""
    event = SourcingEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None or not permissions.events.can(actor, permissions.VIEW, event):
        raise NotFound()
    if not permissions.events.can(actor, action, event):
        raise NotPermitted()
    return event


def line_free(plan_id: int, line_id: int) -> Decimal:
    """What is free on the plan's line for a new inquiry or auction: its reservation less
    the holds of its open events (and nothing else: one figure, ``plans.holds``)."""
    return plan_holds.plan_line_free(plan_id=plan_id, line_id=line_id)


def hold_ref(event: SourcingEvent) -> str:
    """The reference of the event's plan hold (its ceiling, earmarked on the plan's line)."""
    return f"sourcing:{event.number}"


def hold_release(actor: Actor, event: SourcingEvent) -> None:
    """Free the event's hold (it failed or was cancelled). The platform acts for the unit when
    the actor is not its purchaser (the sweeper failing an event); idempotent."""
    plan_holds.plan_hold_release(actor=unit_actor(actor, event.organisation), ref=hold_ref(event))


def awarded_order_status(event: SourcingEvent) -> str | None:
    """The status of the event's order, read through ``orders.selectors`` as its unit sees it."""
    if not event.order_id:
        return None
    reader = unit_actor(SYSTEM, event.organisation)
    return (
        order_selectors.orders_visible(actor=reader).filter(pk=event.order_id).values_list("status", flat=True).first()
    )


def award_lapsed(event: SourcingEvent) -> bool:
    """Awarded, but the winner declined the order or it was cancelled before anything was
    delivered: the event waits for the purchaser to award the next supplier or publish again."""
    return event.status == Status.AWARDED and awarded_order_status(event) in ENDED_UNSOLD


def earliest_deadline(now: dt.datetime, period: PeriodValue) -> dt.datetime:
    """Publication plus the rules' minimum period: n x 24 hours, or the same time of day n
    working days on (a period in working days)."""
    if period.unit == "days":
        return now + dt.timedelta(days=period.n)
    local = timezone.localtime(now, PLATFORM_TZ)
    day = working_calendar().add_working_days(local.date(), period.n)
    return dt.datetime.combine(day, local.timetz())


def step_for(ceiling: Decimal, percent: Decimal) -> Decimal:
    """The minimum bid step: ``percent`` of the ceiling, rounded up to the fen (at least 0.01)."""
    return max((ceiling * percent / 100).quantize(FEN, rounding=ROUND_CEILING), FEN)


def category_listers(category_id: int) -> list[int]:
    """Sellable suppliers with a listed listing in the category: they hear of a new event."""
    listing_suppliers = set(
        Listing.objects.filter(category_id=category_id, status=ListingStatus.LISTED).values_list(
            "supplier_id", flat=True
        )
    )
    return sorted(listing_suppliers & set(supplier_selectors.sellable_supplier_ids()))


def _plan_for(actor: Actor, plan_id: Any, kind: str) -> ProcurementPlan:
    try:
        pk = int(plan_id)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(fields={"plan_id": [_("Choose a plan.")]}) from exc
    plan = lock_plan(actor=actor, plan_id=pk)
    if plan.status not in IN_FORCE or plan.channel != Channel.E_MALL:
        raise ValidationFailed(fields={"plan_id": [_("Choose a plan in force in the e-mall channel.")]})
    if str(MODE_FOR_KIND[Kind(kind)]) not in (plan.mall_modes or []):
        raise ValidationFailed(
            fields={"plan_id": [_("This plan's amount does not allow this way of buying in the e-mall.")]}
        )
    return plan


def _clean_need(
    *,
    plan: ProcurementPlan | None,
    line_id: Any,
    title: str,
    category_id: Any,
    items: list[ItemInput],
    ceiling: Any,
    delivery_region_code: str,
    delivery_by: Any,
) -> dict[str, Any]:
    """Every field of the need checked at once; the clean values."""
    fields: dict[str, list[Any]] = {}
    out: dict[str, Any] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        fields["title"] = [_("Give a title (at most 200 characters).")]
    out["title"] = title
    try:
        line = int(line_id)
    except (TypeError, ValueError):
        line = -1
    if plan is not None and not plan.fundings.filter(budget_line_id=line).exists():
        fields["line_id"] = [_("Choose one of the plan's budget lines.")]
    out["line_id"] = line
    category = None
    try:
        category = listing_selectors.category_get(int(category_id))
    except (TypeError, ValueError, NotFound):
        category = None
    if category is None or not category.is_active or not listing_selectors.category_is_leaf(category):
        fields["category_id"] = [_("Choose a category of the e-mall (a leaf of the tree).")]
    out["category"] = category
    try:
        out["items"] = clean_items(items)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    try:
        amount = clean_price(ceiling, field="ceiling")
        out["ceiling"] = amount
        if plan is not None and "line_id" not in fields:
            available = line_free(plan.pk, line)
            if amount > available:
                fields["ceiling"] = [
                    _("The ceiling may not exceed what the plan still holds on this line: %(available)s.")
                    % {"available": format_cny(available)}
                ]
    except ValidationFailed as exc:
        fields.update(exc.fields)
    code = (delivery_region_code or "").strip() or (plan.region_code if plan else "")
    if not Region.objects.filter(code=code).exists():
        fields["delivery_region_code"] = [_("Choose a delivery region.")]
    out["delivery_region_code"] = code
    day = parse_day(delivery_by)
    if day is None or day < clock.today():
        fields["delivery_by"] = [_("Give a delivery date, today or later.")]
    out["delivery_by"] = day
    if fields:
        raise ValidationFailed(fields=fields)
    return out


def _times(kind: str, *, rules: Any, opens_at: Any, closes_at: Any, delivery_by: dt.date | None) -> tuple[Any, Any]:
    now = clock.now()
    fields: dict[str, list[Any]] = {}
    start = now if kind == Kind.INQUIRY or not str(opens_at or "").strip() else parse_when(opens_at)
    end = parse_when(closes_at)
    if start is None or (kind == Kind.AUCTION and start < now - dt.timedelta(minutes=1)):
        fields["opens_at"] = [_("Give the start time: now or later.")]
    if end is None:
        fields["closes_at"] = [_("Give a date and time.")]
    elif kind == Kind.INQUIRY:
        earliest = earliest_deadline(now, rules.mall_inquiry_min_period)
        if end < earliest:
            fields["closes_at"] = [
                _("Quotes must be open for at least %(period)s: the deadline is %(earliest)s at the earliest.")
                % {
                    "period": rules.mall_inquiry_min_period,
                    "earliest": timezone.localtime(earliest, PLATFORM_TZ).strftime("%Y-%m-%d %H:%M"),
                }
            ]
        elif end > now + dt.timedelta(days=MAX_OPEN_DAYS):
            fields["closes_at"] = [_("The deadline may be at most %(n)d days away.") % {"n": MAX_OPEN_DAYS}]
    elif start is not None:
        if end <= start:
            fields["closes_at"] = [_("The auction must end after it starts.")]
        elif end < start + dt.timedelta(minutes=MIN_AUCTION_MINUTES):
            fields["closes_at"] = [_("The auction runs at least %(n)d minutes.") % {"n": MIN_AUCTION_MINUTES}]
        elif end > start + dt.timedelta(days=MAX_AUCTION_DAYS) or start > now + dt.timedelta(days=MAX_OPEN_DAYS):
            fields["closes_at"] = [_("An auction runs at most %(n)d days.") % {"n": MAX_AUCTION_DAYS}]
    late = delivery_by is not None and end is not None and timezone.localtime(end, PLATFORM_TZ).date() > delivery_by
    if late and "closes_at" not in fields:
        fields["delivery_by"] = [_("Delivery comes after the deadline.")]
    if fields:
        raise ValidationFailed(fields=fields)
    return start, end


# -- publish ---------------------------------------------------------------------------------


def sourcing_publish(
    *,
    actor: Actor,
    kind: str,
    plan_id: Any,
    line_id: Any,
    title: str,
    category_id: Any,
    items: list[ItemInput],
    ceiling: Any,
    delivery_region_code: str = "",
    delivery_by: Any,
    closes_at: Any,
    opens_at: Any = None,
    note: str = "",
    republished_from: SourcingEvent | None = None,
) -> SourcingEvent:
    """Publish an online inquiry (``kind="inquiry"``) or open a reverse auction (``"auction"``).

    Preconditions: the unit's purchaser; the plan its own, in force, in the e-mall channel,
    allowing the mode (``plan.mall_modes``); the line one of the plan's fundings; the ceiling
    exact to the fen and at most what is free on the plan's line (its reservation less the
    holds of its open events and nothing ordered from it since: ``plans.holds``);
    an inquiry's deadline at least ``mall_inquiry_min_period`` from now (server clock); an
    auction's window at least 10 minutes, starting now or later.
    Effects: the event, open, with the rule set of the plan's region stamped, the number of
    quotes or bidders needed and (auctions) the minimum step as an amount; a plan hold of
    the ceiling on the line (``plans.holds.plan_hold_place``, ref ``hold_ref(event)``: a
    filed plan starts executing), which the award consumes and failing or cancelling frees.
    Suppliers with a listed listing in the category are told. Audit events:
    ``sourcing.<kind>.publish`` (plus ``plans.hold.place``).
    """
    if kind not in Kind.values:
        raise ValidationFailed(fields={"kind": [_("Choose an online inquiry or a reverse auction.")]})
    if not permissions.is_unit(actor):
        raise NotFound()
    with transaction.atomic():
        # Every field is checked even when the plan is wrong, so the form shows all at once.
        fields: dict[str, list[Any]] = {}
        plan: ProcurementPlan | None = None
        try:
            plan = _plan_for(actor, plan_id, kind)
        except ValidationFailed as exc:
            fields.update(exc.fields)
        need: dict[str, Any] = {}
        try:
            need = _clean_need(
                plan=plan,
                line_id=line_id,
                title=title,
                category_id=category_id,
                items=items,
                ceiling=ceiling,
                delivery_region_code=delivery_region_code,
                delivery_by=delivery_by,
            )
        except ValidationFailed as exc:
            fields.update(exc.fields)
        now = clock.now()
        region_code = plan.region_code if plan is not None else actor.region_code
        rule_set = ruleset_stamp(region=Region.objects.filter(code=region_code).first(), at=now)
        rules = rule_set.rule_values
        try:
            start, end = _times(
                kind, rules=rules, opens_at=opens_at, closes_at=closes_at, delivery_by=need.get("delivery_by")
            )
        except ValidationFailed as exc:
            fields.update(exc.fields)
        if fields or plan is None:
            raise ValidationFailed(fields=fields)
        ceiling_amount: Decimal = need["ceiling"]
        event = SourcingEvent.objects.create(
            kind=kind,
            rule_set=rule_set,
            organisation_id=plan.organisation_id,
            region_code=plan.region_code,
            plan_id=plan.pk,
            line_id=need["line_id"],
            title=need["title"],
            category=need["category"],
            ceiling=ceiling_amount,
            delivery_region_code=need["delivery_region_code"],
            delivery_by=need["delivery_by"],
            note=(note or "").strip()[:2000],
            opens_at=start,
            closes_at=end,
            min_responses=rules.mall_inquiry_min_quotes if kind == Kind.INQUIRY else rules.mall_auction_min_bidders,
            step_amount=ZERO if kind == Kind.INQUIRY else step_for(ceiling_amount, rules.mall_auction_min_step_percent),
            republished_from=republished_from,
            created_by_id=actor.user_id,
            created_by_label=actor.label,
            created_at=now,
            updated_at=now,
        )
        SourcingItem.objects.bulk_create(
            SourcingItem(
                event=event, description=i.description, specs=i.specs, quantity=i.quantity, unit=i.unit, position=n
            )
            for n, i in enumerate(need["items"])
        )
        try:
            plan_holds.plan_hold_place(
                actor=actor, plan_id=plan.pk, line_id=event.line_id, amount=ceiling_amount, ref=hold_ref(event)
            )
        except InsufficientBudget as exc:  # the plan lock came after the check above: say it on the field
            raise ValidationFailed(exc.message, fields={"ceiling": [exc.message]}) from exc
        audit_event(
            actor,
            f"sourcing.{kind}.publish",
            event,
            plan=plan.pk,
            line=event.line_id,
            ceiling=event.ceiling,
            hold=hold_ref(event),
            closes_at=event.closes_at.isoformat(),
            republished_from=republished_from.pk if republished_from else None,
        )
        listers = category_listers(event.category_id)
        title_text = (
            _("New online inquiry: %(title)s") if kind == Kind.INQUIRY else _("New reverse auction: %(title)s")
        ) % {"title": event.title}
        notify(actor, event, org_ids=list(listers), key="publish", title=str(title_text))
    return event


# -- cancel, re-publish ----------------------------------------------------------------------


def sourcing_cancel(*, actor: Actor, event_id: int, reason: str) -> SourcingEvent:
    """Cancel an event that is open, closed or failed (not an awarded one), with a reason.

    Effects: status ``cancelled``; its plan hold is released (the ceiling is free again on
    the plan's line); the respondents are told. Audit events: ``sourcing.<kind>.cancel``
    (plus ``plans.hold.release``).
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise ValidationFailed(fields={"reason": [_("Give the reason (at most 1,000 characters).")]})
    with transaction.atomic():
        event = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        SOURCING_MACHINE.apply(event, "cancel")
        event.outcome_reason = reason
        event.updated_at = clock.now()
        event.save()
        hold_release(actor, event)
        audit_event(actor, f"sourcing.{event.kind}.cancel", event, reason=reason)
        notify(
            actor,
            event,
            org_ids=respondent_ids(event),
            key="cancel",
            title=str(_("%(title)s was cancelled: %(reason)s") % {"title": event.title, "reason": reason}),
        )
    return event


def sourcing_republish(
    *,
    actor: Actor,
    event_id: int,
    closes_at: Any,
    opens_at: Any = None,
    delivery_by: Any = None,
    ceiling: Any = None,
) -> SourcingEvent:
    """Publish a failed or cancelled event again, as a new event with the same need.

    Also an awarded event whose winner declined the order (or whose order was cancelled
    before confirmation: ``award_lapsed``), once. The old event stays as it is (its
    hold released); the new one refers to it and places a hold of its own. ``ceiling``
    (optional) lowers or changes the ceiling: when what is free on the plan's line has
    shrunk, the old ceiling is refused with what is free, and a lower one can be given.
    The ceiling is checked again against what is free on the plan's line, and the deadline
    against the rules. Audit event: ``sourcing.<kind>.publish`` (with ``republished_from``).
    """
    with transaction.atomic():
        old = lock_event(actor=actor, event_id=event_id, action=permissions.MANAGE)
        lapsed = award_lapsed(old)
        if old.status not in (Status.FAILED, Status.CANCELLED) and not lapsed:
            raise InvalidTransition(
                _(
                    "Only a failed or cancelled inquiry or auction, or one whose winner declined the order, "
                    "can be published again."
                )
            )
        if lapsed and SourcingEvent.objects.filter(republished_from=old).exists():
            raise InvalidTransition(_("This inquiry or auction has been published again already."))
        given = str(ceiling if ceiling is not None else "").strip()
        return sourcing_publish(
            actor=actor,
            kind=old.kind,
            plan_id=old.plan_id,
            line_id=old.line_id,
            title=old.title,
            category_id=old.category_id,
            items=[ItemInput(i.description, i.specs, i.quantity, i.unit) for i in old.items.all()],
            ceiling=given or old.ceiling,
            delivery_region_code=old.delivery_region_code,
            delivery_by=delivery_by or old.delivery_by,
            closes_at=closes_at,
            opens_at=opens_at,
            note=old.note,
            republished_from=old,
        )
