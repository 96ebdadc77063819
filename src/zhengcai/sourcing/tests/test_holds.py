"""Plan holds (占用): an open inquiry or auction holds its ceiling on the plan's line
(``plans.holds``); failing or cancelling frees it, the award's order consumes it, and
re-publishing places a new one. One free figure per plan line, shared with checkout."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.errors import ValidationFailed
from zhengcai.plans.holds import plan_hold_get, plan_line_free
from zhengcai.sourcing import outcomes, responses, selectors, services
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tasks import sourcing_sweep
from zhengcai.sourcing.tests.conftest import publish

pytestmark = pytest.mark.django_db


def free(plan: Any) -> Decimal:
    return plan_line_free(plan_id=plan.pk, line_id=plan.fundings.first().budget_line_id)


def quote_all(event: Any, suppliers: list[Any]) -> None:
    ids = list(event.items.values_list("pk", flat=True))
    for n, s in enumerate(suppliers):
        responses.quote_submit(
            actor=s, event_id=event.pk, prices={ids[0]: str(4000 - n), ids[1]: "900"}, delivery_days=7
        )


def test_publishing_holds_the_ceiling(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    assert free(plan) == Decimal("300000.00")
    event = publish(purchaser, plan, category, ceiling="200000")
    hold = plan_hold_get(services.hold_ref(event))
    assert hold is not None
    assert services.hold_ref(event) == f"sourcing:{event.number}"
    assert (hold.plan_id, hold.amount) == (plan.pk, Decimal("200000.00"))
    assert free(plan) == Decimal("100000.00")
    assert AuditEvent.objects.filter(action="plans.hold.place").count() == 1
    # The form's options show the same free figure.
    options = selectors.plans_for_sourcing(actor=purchaser, kind="auction")
    assert [line["available"] for p in options for line in p["lines"]] == [Decimal("100000.00")]


def test_a_refused_publication_holds_nothing(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    publish(purchaser, plan, category, ceiling="250000")
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, ceiling="50000.01")
    assert "ceiling" in exc.value.fields
    assert "¥50,000.00" in str(exc.value.fields["ceiling"][0])
    assert free(plan) == Decimal("50000.00")


def test_cancelling_frees_the_hold(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> None:
    event = publish(purchaser, plan, category, ceiling="200000")
    services.sourcing_cancel(actor=purchaser, event_id=event.pk, reason="需求变更")
    assert plan_hold_get(services.hold_ref(event)) is None
    assert free(plan) == Decimal("300000.00")
    assert AuditEvent.objects.filter(action="plans.hold.release").count() == 1


def test_failing_frees_the_hold_and_republishing_holds_again(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category, ceiling="200000")
    quote_all(event, [s1])  # 1 of the 3 quotes needed
    frozen_clock.set(event.closes_at)
    assert sourcing_sweep() == 1  # the platform's sweeper fails it, acting for the unit
    event.refresh_from_db()
    assert event.status == Status.FAILED
    assert free(plan) == Decimal("300000.00")
    again = services.sourcing_republish(
        actor=purchaser, event_id=event.pk, closes_at=frozen_clock.now() + dt.timedelta(days=3)
    )
    hold = plan_hold_get(services.hold_ref(again))
    assert hold is not None
    assert hold.amount == Decimal("200000.00")
    assert free(plan) == Decimal("100000.00")


def test_the_award_consumes_the_hold(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any
) -> None:
    event = publish(purchaser, plan, category, ceiling="200000")
    other = publish(purchaser, plan, category, ceiling="50000")
    quote_all(event, [s1, s2, s3])  # the lowest: 3998 x 40 + 900 x 40 = 195,920.00
    frozen_clock.set(event.closes_at)
    outcomes.sourcing_award(actor=purchaser, event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Status.AWARDED
    assert plan_hold_get(services.hold_ref(event)) is None
    assert plan_hold_get(services.hold_ref(other)) is not None
    # 300,000 reserved - 195,920 committed - 50,000 still held by the other inquiry.
    assert free(plan) == Decimal("54080.00")


def test_the_automatic_auction_award_consumes_the_hold(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    responses.bid_place(actor=s1, event_id=event.pk, amount="199000")
    responses.bid_place(actor=s2, event_id=event.pk, amount="190000")
    frozen_clock.set(event.closes_at)
    sourcing_sweep()
    event.refresh_from_db()
    assert event.status == Status.AWARDED
    assert plan_hold_get(services.hold_ref(event)) is None
    assert free(plan) == Decimal("110000.00")
