"""The catalogue shipped by default: the top levels and the common goods and services.

Codes follow the 2022 edition (财库〔2022〕31号): a letter (A goods, B works, C services)
and eight digits, levels padded with zeros (A02010105 台式计算机 under A02010100 计算机).
Note that the 2013 edition used other numbers for some of the same things (there A02010104
was the desktop computer; in 2022 it is the server).

Rows marked ``unverified`` are codes we could not check against a published 2022 list; the
names are the usual ones, the numbers must be confirmed by the operator. The verified goods
codes were checked against provincial centralised catalogues for 2022 built on that edition
(e.g. 黑龙江省政府集中采购目录及标准(2022年版)). ``in_mall``: bought through the e-mall below the
limit; ``centralised``: in the centralised procurement catalogue (集中采购目录) — regions
differ, these are typical settings the operator adjusts.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    code: str
    name: str
    parent: str | None
    in_mall: bool = False
    centralised: bool = False
    unverified: bool = False


DEFAULT_CATALOGUE: tuple[Entry, ...] = (
    # -- goods -----------------------------------------------------------------------------
    Entry("A", "货物", None),
    Entry("A01000000", "房屋和构筑物", "A"),
    Entry("A02000000", "设备", "A"),
    Entry("A02010000", "信息化设备", "A02000000"),
    Entry("A02010100", "计算机", "A02010000"),
    Entry("A02010104", "服务器", "A02010100", in_mall=True, centralised=True),
    Entry("A02010105", "台式计算机", "A02010100", in_mall=True, centralised=True),
    Entry("A02010108", "便携式计算机", "A02010100", in_mall=True, centralised=True),
    Entry("A02010200", "网络设备", "A02010000", in_mall=True, centralised=True),
    Entry("A02020000", "办公设备", "A02000000", unverified=True),
    Entry("A02020100", "复印机", "A02020000", in_mall=True, centralised=True),
    Entry("A02020200", "投影仪", "A02020000", in_mall=True, centralised=True),
    Entry("A02021000", "打印机", "A02020000", in_mall=True, centralised=True),
    # A scanner is not a kind of printer: both are purchasable items of office equipment.
    Entry("A02021118", "扫描仪", "A02020000", in_mall=True, centralised=True),
    Entry("A02030000", "车辆", "A02000000", unverified=True),
    Entry("A02030500", "乘用车", "A02030000", centralised=True),
    Entry("A02060000", "电气设备", "A02000000", unverified=True),
    Entry("A02061800", "生活用电器", "A02060000", unverified=True),
    Entry("A02061804", "空调机", "A02061800", in_mall=True, centralised=True),
    Entry("A02080000", "通信设备", "A02000000", unverified=True),
    Entry("A02080805", "视频会议系统及会议室音频系统", "A02080000", centralised=True),
    Entry("A02090000", "广播、电视、电影设备", "A02000000", unverified=True),
    Entry("A02091107", "视频监控设备", "A02090000", centralised=True),
    Entry("A02100000", "仪器仪表", "A02000000", centralised=True),
    Entry("A05000000", "家具和用具", "A"),
    Entry("A05010000", "家具", "A05000000", in_mall=True, centralised=True),
    Entry("A05030000", "被服装具", "A05000000", unverified=True),
    Entry("A05030300", "被服", "A05030000", centralised=True),
    Entry("A05040000", "办公用品", "A05000000", unverified=True),
    Entry("A05040100", "纸制品", "A05040000", unverified=True),
    Entry("A05040101", "复印纸", "A05040100", in_mall=True, unverified=True),
    Entry("A08000000", "无形资产", "A"),
    Entry("A08060000", "信息数据类无形资产", "A08000000", unverified=True),
    Entry("A08060300", "计算机软件", "A08060000", unverified=True),
    Entry("A08060301", "基础软件", "A08060300", in_mall=True, centralised=True),
    Entry("A08060302", "支撑软件", "A08060300", in_mall=True),
    Entry("A08060303", "应用软件", "A08060300", in_mall=True),
    # -- works -----------------------------------------------------------------------------
    Entry("B", "工程", None),
    Entry("B01000000", "房屋施工", "B", unverified=True),
    Entry("B02000000", "构筑物施工", "B", unverified=True),
    Entry("B06000000", "装修工程", "B", unverified=True),
    Entry("B07000000", "修缮工程", "B", unverified=True),
    # -- services (numbers unverified; the parent level is not shipped, so they hang on C) --
    Entry("C", "服务", None),
    Entry("C16000000", "信息技术服务", "C", unverified=True),
    Entry("C18010000", "法律服务", "C", unverified=True),
    Entry("C20000000", "咨询服务", "C", unverified=True),
    Entry("C21040000", "物业管理服务", "C", centralised=True, unverified=True),
    Entry("C22040000", "培训服务", "C", unverified=True),
    Entry("C23010000", "会计服务", "C", unverified=True),
    Entry("C23090000", "印刷服务", "C", in_mall=True, centralised=True, unverified=True),
    Entry("C23120000", "车辆维修和保养服务", "C", in_mall=True, centralised=True, unverified=True),
    Entry("C15040201", "机动车保险服务", "C", centralised=True, unverified=True),
)
