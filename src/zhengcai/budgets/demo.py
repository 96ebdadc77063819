"""Demo budget lines for the demo budget units (called from ``web.demo.seed_demo``)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from zhengcai.accounts.models import Organisation
from zhengcai.budgets.models import BudgetLine
from zhengcai.budgets.services import line_create, line_data_clean
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.core.roles import OrgType

# (unit name, functional code, economic code, project code, project name, amount)
DEMO_LINES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("衢州市教育局", "2050101", "31002", "JY-01", "教育信息化设备购置", "2800000.00"),
    ("衢州市教育局", "2050101", "30201", "JY-02", "机关办公费", "180000.00"),
    ("衢州第一中学", "2050203", "31002", "YZ-01", "智慧教室设备购置", "1600000.00"),
    ("衢州第一中学", "2050203", "30213", "YZ-02", "校舍维修(护)费", "450000.00"),
    ("衢州第一中学", "2050203", "30201", "YZ-03", "办公用品及耗材", "120000.00"),
    ("衢州市人民医院", "2100201", "31002", "YY-01", "医用设备购置", "6500000.00"),
    ("衢州市人民医院", "2100201", "30218", "YY-02", "专用材料费", "900000.00"),
    ("柯城区卫生健康局", "2100101", "30227", "WJ-01", "委托业务费(公共卫生服务)", "700000.00"),
    ("柯城区卫生健康局", "2100101", "31002", "WJ-02", "办公设备购置", "260000.00"),
    ("江山市实验小学", "2050202", "31002", "JS-01", "教学设备购置", "380000.00"),
    ("江山市实验小学", "2050202", "30209", "JS-02", "物业管理费", "240000.00"),
)


def budgets_seed_demo(*, actor: Actor) -> int:
    """Create the demo lines of the current fiscal year; idempotent (external ids "DEMO-<year>-n").

    Preconditions: the platform itself acts (a system actor). Units missing from the
    database are skipped. Returns the number of lines created.
    Audit event: ``budgets.line.create`` per line.
    """
    if not actor.is_system:
        raise NotPermitted()
    year = clock.today().year
    created = 0
    with transaction.atomic():
        for n, (unit_name, functional, economic, project_code, project_name, amount) in enumerate(DEMO_LINES, 1):
            external_id = f"DEMO-{year}-{n:03d}"
            if BudgetLine.objects.filter(source_system="demo", external_id=external_id).exists():
                continue
            unit = Organisation.objects.filter(name=unit_name, org_type=OrgType.BUDGET_UNIT).first()
            if unit is None:
                continue
            data, errors = line_data_clean(
                {
                    "fiscal_year": year,
                    "budget_unit": unit.credit_code,
                    "functional_code": functional,
                    "economic_code": economic,
                    "fund_source": "general",
                    "project_code": project_code,
                    "project_name": project_name,
                    "amount": Decimal(amount),
                    "external_id": external_id,
                    "source_system": "demo",
                }
            )
            if data is None:  # pragma: no cover - the table above is valid
                raise ValueError(errors)
            line_create(actor=actor, data=data)
            created += 1
    return created
