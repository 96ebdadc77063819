"""Reverse auction: the window by the server clock, the step, the ceiling, ranks without
names, the minimum number of bidders and the automatic award at close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.core.errors import Conflict, DeadlinePassed, NotFound, ValidationFailed
from zhengcai.orders.models import Order
from zhengcai.sourcing import outcomes, responses, selectors
from zhengcai.sourcing.models import Bid
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tasks import sourcing_sweep
from zhengcai.sourcing.tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def auction(frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> Any:
    # Ceiling 200,000: the default step of 0.5% is 1,000.00.
    return publish(purchaser, plan, category, kind="auction", ceiling="200000")


def bid(actor: Any, event: Any, amount: str) -> Bid:
    return responses.bid_place(actor=actor, event_id=event.pk, amount=amount)


def test_step_is_stamped_as_an_amount(*, auction: Any) -> None:
    assert auction.step_amount == Decimal("1000.00")
    assert auction.min_responses == 2


def test_bids_must_beat_the_best_by_the_step(*, frozen_clock: Any, auction: Any, s1: Any, s2: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        bid(s1, auction, "200000.01")
    assert "¥200,000.00" in str(exc.value.message)  # the maximum allowed
    bid(s1, auction, "199000")
    with pytest.raises(ValidationFailed) as exc:
        bid(s2, auction, "199500")  # above the current best
    assert exc.value.params["max_allowed"] == Decimal("198000.00")
    assert "¥198,000.00" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        bid(s2, auction, "198000.01")  # too small a step
    bid(s2, auction, "198000")
    with pytest.raises(ValidationFailed):
        bid(s2, auction, "abc")
    assert Bid.objects.count() == 2


def test_bids_outside_the_window_are_refused(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    now = frozen_clock.now()
    event = publish(
        purchaser,
        plan,
        category,
        kind="auction",
        ceiling="200000",
        opens_at=now + dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
    )
    with pytest.raises(Conflict) as exc:
        bid(s1, event, "190000")
    assert exc.value.code == "auction_not_started"
    frozen_clock.set(event.opens_at)
    bid(s1, event, "190000")
    frozen_clock.set(event.closes_at)
    with pytest.raises(DeadlinePassed):
        bid(s1, event, "180000")
    assert Bid.objects.count() == 1


def test_board_shows_best_and_rank_not_who(*, frozen_clock: Any, auction: Any, s1: Any, s2: Any, s3: Any) -> None:
    bid(s1, auction, "199000")
    bid(s2, auction, "198000")
    bid(s3, auction, "190000")
    board = selectors.auction_board(actor=s2, event=auction)
    assert (board.best, board.my_best, board.my_rank, board.bidders) == (
        Decimal("190000.00"),
        Decimal("198000.00"),
        2,
        3,
    )
    assert board.max_allowed == Decimal("189000.00")
    assert all(b.supplier_id == s2.organisation_id for b in board.my_bids)
    assert selectors.bids_for_buyer(actor=s2, event=auction) is None


def test_wrong_roles_cannot_bid(
    *, frozen_clock: Any, auction: Any, purchaser: Any, other_unit_purchaser: Any, regulator: Any, unsellable: Any
) -> None:
    for actor in (purchaser, other_unit_purchaser, regulator, unsellable):
        with pytest.raises(NotFound):
            bid(actor, auction, "190000")
    assert not Bid.objects.exists()


def test_too_few_bidders_fails(*, frozen_clock: Any, auction: Any, s1: Any) -> None:
    bid(s1, auction, "199000")
    bid(s1, auction, "198000")  # one supplier bidding twice is still one bidder
    frozen_clock.set(auction.closes_at)
    assert sourcing_sweep() == 1
    auction.refresh_from_db()
    assert auction.status == Status.FAILED
    assert not Order.objects.exists()


def test_lowest_bid_wins_automatically_at_close(*, frozen_clock: Any, auction: Any, s1: Any, s2: Any) -> None:
    bid(s1, auction, "199000")
    bid(s2, auction, "198000")
    bid(s1, auction, "150000")
    frozen_clock.set(auction.closes_at)
    sourcing_sweep()
    auction.refresh_from_db()
    assert auction.status == Status.AWARDED
    assert (auction.winner_org_id, auction.award_amount) == (s1.organisation_id, Decimal("150000.00"))
    order = Order.objects.get(pk=auction.order_id)
    assert (order.source, order.total_amount, order.supplier_id) == (
        "reverse_auction",
        Decimal("150000.00"),
        s1.organisation_id,
    )
    assert sourcing_sweep() == 0


def test_purchaser_award_settles_a_due_auction(
    *, frozen_clock: Any, auction: Any, purchaser: Any, s1: Any, s2: Any
) -> None:
    bid(s1, auction, "199000")
    bid(s2, auction, "198000")
    frozen_clock.set(auction.closes_at)
    # Before the sweeper ran, the purchaser's award settles and awards in one go.
    event = outcomes.sourcing_award(actor=purchaser, event_id=auction.pk)
    assert event.status == Status.AWARDED
    assert event.winner_org_id == s2.organisation_id
