from django.utils import translation

from zhengcai.budgets.refs import ref_label


def test_hold_refs_read_as_event_numbers() -> None:
    with translation.override("zh-hans"):
        assert ref_label("sourcing:XJ000002") == "在线询价 XJ000002"
        assert ref_label("sourcing:JJ000006") == "反向竞价 JJ000006"
    with translation.override("en"):
        assert ref_label("sourcing:XJ000002") == "Online inquiry XJ000002"
    assert ref_label("sourcing:whatever") == "sourcing:whatever"
