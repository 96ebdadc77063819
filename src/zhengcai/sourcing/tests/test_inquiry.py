"""Online inquiry: publication rules, sealed quotes, the deadline by the server clock, the
minimum number of quotes and the lowest compliant quote winning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhengcai.audit.models import AuditEvent
from zhengcai.core.errors import Conflict, DeadlinePassed, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.notify.models import OutboxMessage
from zhengcai.orders.models import Order
from zhengcai.sourcing import outcomes, responses, selectors, services
from zhengcai.sourcing.models import Quote, SourcingEvent
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tasks import sourcing_sweep
from zhengcai.sourcing.tests.conftest import publish

pytestmark = pytest.mark.django_db


def quote(actor: Any, event: Any, a: str, b: str, days: int = 7) -> Quote:
    ids = list(event.items.values_list("pk", flat=True))
    return responses.quote_submit(actor=actor, event_id=event.pk, prices={ids[0]: a, ids[1]: b}, delivery_days=days)


def test_publish_stamps_the_rules(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    event = publish(purchaser, plan, category)
    assert event.status == Status.OPEN
    assert event.min_responses == 3
    assert event.items.count() == 2
    assert event.rule_set_id is not None
    assert AuditEvent.objects.filter(action="sourcing.inquiry.publish", object_id=str(event.pk)).exists()


def test_deadline_shorter_than_the_minimum_period_is_refused(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, closes_at=frozen_clock.now() + dt.timedelta(hours=23))
    assert "closes_at" in exc.value.fields
    assert not SourcingEvent.objects.exists()


def test_ceiling_above_the_plan_holding_is_refused(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, ceiling="300000.01")
    assert "ceiling" in exc.value.fields
    publish(purchaser, plan, category, ceiling="200000")
    # The open inquiry engages 200,000 of the 300,000 the plan holds on the line.
    with pytest.raises(ValidationFailed):
        publish(purchaser, plan, category, ceiling="100000.01")
    publish(purchaser, plan, category, ceiling="100000")


def test_bad_input_reports_every_field(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, title="", ceiling="abc", items=[], delivery_by="")
    assert {"title", "ceiling", "items", "delivery_by"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, plan_id="x", title="", closes_at="")
    assert {"plan_id", "title", "closes_at"} <= set(exc.value.fields)
    assert not SourcingEvent.objects.exists()


def test_other_unit_and_suppliers_cannot_publish_on_the_plan(
    *, frozen_clock: Any, other_unit_purchaser: Any, s1: Any, plan: Any, category: Any
) -> None:
    with pytest.raises(NotFound):
        publish(other_unit_purchaser, plan, category)
    with pytest.raises(NotFound):
        publish(s1, plan, category)


def test_quotes_are_sealed_until_the_deadline(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")
    quote(s2, event, "3800", "1000")
    count, rows = selectors.quotes_for_buyer(actor=purchaser, event=event)
    assert (count, rows) == (2, None)
    mine = selectors.my_quote(actor=s1, event=event)
    assert mine is not None
    assert mine.total == Decimal("196000.00")
    # A supplier never sees another's quote, before or after.
    count, rows = selectors.quotes_for_buyer(actor=s1, event=event)
    assert rows is None
    # No price in the audit trail while sealed.
    data = AuditEvent.objects.filter(action="sourcing.quote.submit").values_list("data", flat=True)
    assert all("196000" not in str(d) and "4000" not in str(d) for d in data)
    frozen_clock.advance(dt.timedelta(days=2))
    count, rows = selectors.quotes_for_buyer(actor=purchaser, event=event)
    assert rows is not None
    assert [r.supplier_name for r in rows] == ["浙江华越电脑科技有限公司", "衢州办公用品有限公司"]


def test_quote_after_the_deadline_is_refused(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")
    frozen_clock.set(event.closes_at)
    with pytest.raises(DeadlinePassed) as exc:
        quote(s1, event, "3000", "900")
    assert exc.value.code == "deadline_passed"
    assert "2026-03-04 09:00:00" in str(exc.value.message)  # the deadline, by the server clock
    assert Quote.objects.get().total == Decimal("196000.00")


def test_a_quote_may_be_revised_before_the_deadline(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")
    frozen_clock.advance(dt.timedelta(hours=1))
    revised = quote(s1, event, "3950", "900", days=5)
    assert (revised.revision, revised.total, revised.delivery_days) == (2, Decimal("194000.00"), 5)
    assert Quote.objects.count() == 1


def test_quote_bad_input_and_above_ceiling(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category)
    ids = list(event.items.values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        responses.quote_submit(actor=s1, event_id=event.pk, prices={ids[0]: "abc"}, delivery_days="0")
    assert {f"prices.{ids[0]}", f"prices.{ids[1]}", "delivery_days"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed) as exc:
        quote(s1, event, "6000", "1100")  # 284,000 > 280,000
    assert "¥284,000.00" in str(exc.value.message)
    assert "¥280,000.00" in str(exc.value.message)
    assert not Quote.objects.exists()


def test_wrong_roles_cannot_quote_or_see(
    *,
    frozen_clock: Any,
    purchaser: Any,
    other_unit_purchaser: Any,
    regulator: Any,
    other_regulator: Any,
    plan: Any,
    category: Any,
    unsellable: Any,
) -> None:
    event = publish(purchaser, plan, category)
    for actor in (purchaser, other_unit_purchaser, regulator, unsellable):
        with pytest.raises(NotFound):
            quote(actor, event, "4000", "900")
    for actor in (other_unit_purchaser, unsellable, other_regulator):
        with pytest.raises(NotFound):
            selectors.event_get(actor=actor, pk=event.pk)
    assert selectors.event_get(actor=regulator, pk=event.pk) == event
    assert not Quote.objects.exists()


def test_fewer_than_the_minimum_quotes_fails(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")
    quote(s2, event, "3900", "1000")
    assert sourcing_sweep() == 0
    frozen_clock.advance(dt.timedelta(days=2))
    assert selectors.shown_status(event) == Status.CLOSED  # derived from the clock before the sweep
    assert sourcing_sweep() == 1
    event.refresh_from_db()
    assert event.status == Status.FAILED
    assert "2" in event.outcome_reason
    assert "3" in event.outcome_reason
    assert sourcing_sweep() == 0
    with pytest.raises(InvalidTransition):
        outcomes.sourcing_award(actor=purchaser, event_id=event.pk)
    # The purchaser may publish it again: the failed one no longer engages the line.
    again = services.sourcing_republish(
        actor=purchaser, event_id=event.pk, closes_at=frozen_clock.now() + dt.timedelta(days=3)
    )
    assert again.republished_from_id == event.pk
    assert again.items.count() == 2


def test_lowest_compliant_quote_wins_and_the_order_is_placed(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")  # 196,000
    quote(s2, event, "3800", "900")  # 188,000, marked non-compliant below
    frozen_clock.advance(dt.timedelta(minutes=5))
    quote(s3, event, "4000", "900")  # 196,000, a tie lost to s1's earlier price
    q2 = Quote.objects.get(supplier_id=s2.organisation_id)
    with pytest.raises(InvalidTransition):  # sealed: nobody judges a quote before the deadline
        responses.quote_mark(actor=purchaser, quote_id=q2.pk, non_compliant=True, reason="不符合")
    frozen_clock.advance(dt.timedelta(days=2))
    # No sweep has run: marking settles the due inquiry first.
    with pytest.raises(ValidationFailed):
        responses.quote_mark(actor=purchaser, quote_id=q2.pk, non_compliant=True, reason="")
    responses.quote_mark(actor=purchaser, quote_id=q2.pk, non_compliant=True, reason="显示器型号不符合要求")
    event = outcomes.sourcing_award(actor=purchaser, event_id=event.pk)
    assert event.status == Status.AWARDED
    assert event.winner_org_id == s1.organisation_id
    assert event.award_amount == Decimal("196000.00")
    order = Order.objects.get(pk=event.order_id)
    assert order.total_amount == Decimal("196000.00")
    assert order.supplier_id == s1.organisation_id
    assert (order.source, order.source_ref) == ("inquiry", event.ref)
    # The order page links back to the inquiry by its number.
    from zhengcai.orders.selectors import order_links

    assert order_links(actor=purchaser, order=order)["source"] == reverse("sourcing:detail", args=[event.pk])
    assert AuditEvent.objects.filter(action="sourcing.inquiry.award").exists()
    # Every bidder hears the outcome, the winner its own message.
    keys = {(m.recipient_id, m.source_key) for m in OutboxMessage.objects.filter(source_key__startswith="sourcing:")}
    assert (s1.user_id, f"sourcing:{event.pk}:won") in keys
    assert {(s2.user_id, f"sourcing:{event.pk}:lost"), (s3.user_id, f"sourcing:{event.pk}:lost")} <= keys
    with pytest.raises(InvalidTransition):
        outcomes.sourcing_award(actor=purchaser, event_id=event.pk)


def test_no_compliant_quote_cannot_be_awarded(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any
) -> None:
    event = publish(purchaser, plan, category)
    for s in (s1, s2, s3):
        quote(s, event, "4000", "900")
    frozen_clock.advance(dt.timedelta(days=2))
    sourcing_sweep()
    for q in Quote.objects.all():
        responses.quote_mark(actor=purchaser, quote_id=q.pk, non_compliant=True, reason="资质不全")
    with pytest.raises(Conflict) as exc:
        outcomes.sourcing_award(actor=purchaser, event_id=event.pk)
    assert exc.value.code == "no_compliant_quote"
    event.refresh_from_db()
    assert event.status == Status.CLOSED
    services.sourcing_cancel(actor=purchaser, event_id=event.pk, reason="重新论证需求")
    event.refresh_from_db()
    assert event.status == Status.CANCELLED


def test_only_the_unit_manages_and_refusals_change_nothing(
    *, frozen_clock: Any, purchaser: Any, other_unit_purchaser: Any, regulator: Any, s1: Any, plan: Any, category: Any
) -> None:
    event = publish(purchaser, plan, category)
    for actor, error in ((other_unit_purchaser, NotFound), (s1, NotPermitted), (regulator, NotPermitted)):
        with pytest.raises(error):
            services.sourcing_cancel(actor=actor, event_id=event.pk, reason="无")
        with pytest.raises(error):
            outcomes.sourcing_award(actor=actor, event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Status.OPEN
    assert not AuditEvent.objects.filter(action="sourcing.inquiry.cancel").exists()
