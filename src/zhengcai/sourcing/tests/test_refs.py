from typing import Any

from django.utils import translation

from zhengcai.budgets.refs import ref_label
from zhengcai.sourcing.tests.conftest import publish


def test_hold_refs_read_as_event_numbers() -> None:
    with translation.override("zh-hans"):
        assert ref_label("sourcing:XJ000002") == "在线询价 XJ000002"
        assert ref_label("sourcing:JJ000006") == "反向竞价 JJ000006"
    with translation.override("en"):
        assert ref_label("sourcing:XJ000002") == "Online inquiry XJ000002"
    assert ref_label("sourcing:whatever") == "sourcing:whatever"


def test_order_source_refs_read_as_event_numbers(
    db: None, frozen_clock: Any, purchaser: Any, plan: Any, category: Any
) -> None:
    event = publish(purchaser, plan, category)
    assert event.ref == f"sourcing:{event.number}"  # what an awarded order's source_ref is
    with translation.override("zh-hans"):
        assert ref_label(event.ref) == f"在线询价 {event.number}"
        assert ref_label(f"sourcing:{event.pk}") == f"在线询价 {event.number}"  # orders placed before
    assert ref_label("sourcing:999999") == "sourcing:999999"
