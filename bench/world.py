"""The minimum a benchmark database needs besides listings: regions, ~20 suppliers, categories.

Written straight through the ORM: the benchmark database is scratch, not a business record.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengcai.accounts.models import Organisation
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.shop.generator import ensure_categories
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize, SupplierStatus

REGIONS = [
    ("330000", "浙江省", RegionLevel.PROVINCE, None),
    ("330800", "衢州市", RegionLevel.CITY, "330000"),
    ("330802", "柯城区", RegionLevel.COUNTY, "330800"),
    ("330803", "衢江区", RegionLevel.COUNTY, "330800"),
    ("330822", "常山县", RegionLevel.COUNTY, "330800"),
    ("330824", "开化县", RegionLevel.COUNTY, "330800"),
    ("330825", "龙游县", RegionLevel.COUNTY, "330800"),
    ("330881", "江山市", RegionLevel.COUNTY, "330800"),
    ("330100", "杭州市", RegionLevel.CITY, "330000"),
    ("330102", "上城区", RegionLevel.COUNTY, "330100"),
    ("330106", "西湖区", RegionLevel.COUNTY, "330100"),
]
SIZES = [EnterpriseSize.LARGE, EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.MICRO, EnterpriseSize.SMALL]
SUPPLIER_NAMES = [
    "衢州市恒信办公用品", "浙江华越电脑科技", "衢州市墨彩打印耗材", "浙江森雅家具制造", "衢州市惠民家电销售",
    "龙游县精诚文化用品", "杭州云启信息技术", "浙江智联网络设备", "衢州市鑫盛印务", "江山市百汇商贸",
    "杭州西湖数码科技", "浙江天成办公设备", "衢州市明达电器", "杭州新宇家具", "浙江金瑞科技",
    "常山县创新文具", "开化县嘉华商贸", "衢州市正源电脑", "杭州博远信息", "浙江汇通供应链",
]  # fmt: skip


def ensure_world() -> list[int]:
    """Create what is missing; return the supplier organisation ids (one of them suspended)."""
    now = timezone.now()
    regions: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        regions[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions.get(parent or "")}
        )
    ids = []
    for i, name in enumerate(SUPPLIER_NAMES):
        org, created = Organisation.objects.get_or_create(
            name=f"{name}有限公司",
            org_type=OrgType.SUPPLIER,
            defaults={"region": regions[REGIONS[2 + i % 9][0]], "created_at": now},
        )
        if created or not hasattr(org, "supplier_profile"):
            size = SIZES[i % len(SIZES)]
            SupplierProfile.objects.create(
                organisation=org,
                legal_representative="王建国",
                contact_name="李娜",
                contact_phone="13800000000",
                bank_name="中国工商银行",
                bank_account=f"12090000000000{i:05d}",
                business_scope="办公用品、计算机及外部设备、家具、家电销售",
                size=size,
                sme_declared_at=None if size == EnterpriseSize.LARGE else now - dt.timedelta(days=30),
                # One suspended supplier: its listings stay in the index and are filtered out at query time.
                status=SupplierStatus.SUSPENDED if i == len(SUPPLIER_NAMES) - 1 else SupplierStatus.APPROVED,
                created_at=now,
                approved_at=now,
            )
        ids.append(org.pk)
    ensure_categories()
    return ids
