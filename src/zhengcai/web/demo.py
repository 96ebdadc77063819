"""Demo data: the Quzhou (衢州) procurement scene, loaded idempotently by ``manage.py seed_demo``.

Everything is created through the services of each app with a platform actor, so the audit
trail records it like any other change. Running the seed twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pyotp
from django.db import transaction

from zhengcai.accounts import services as accounts_services
from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.budgets.demo import budgets_seed_demo
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE, OrgType, Role
from zhengcai.listings.demo import seed_demo as listings_seed_demo
from zhengcai.orders.demo import seed_demo as orders_seed_demo
from zhengcai.plans.demo import plans_seed_demo
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.rules.services import region_create, rules_seed_defaults
from zhengcai.shop.demo import seed_demo as shop_seed_demo
from zhengcai.sourcing.demo import seed_demo as sourcing_seed_demo
from zhengcai.suppliers.demo import seed_demo as suppliers_seed_demo

# The platform acting as its own operator: seeds are changes like any other and are audited.
SEED_ACTOR = Actor(user_id=None, username="seed_demo", org_type=OrgType.OPERATOR, role=Role.OPERATOR, is_system=True)

DEMO_PASSWORD = "zc-demo-2026"  # noqa: S105 - public demo credential, shown on the login page


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    organisation: str
    totp_secret: str = ""
    display_name: str = ""
    is_admin: bool = False
    # Further organisations this person also belongs to (with the role their type gives).
    also_in: tuple[str, ...] = field(default=())


# (code, name, level, parent code)
REGIONS: list[tuple[str, str, str, str | None]] = [
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
    ("330105", "拱墅区", RegionLevel.COUNTY, "330100"),
    ("330106", "西湖区", RegionLevel.COUNTY, "330100"),
]

# (name, type, region code, credit-code category prefix, 9-character organisation code)
# Prefixes follow GB 32100: 11 = government organ, 12 = public institution, 91 = company.
ORGANISATIONS: list[tuple[str, str, str, str, str]] = [
    ("政采云平台运营中心", OrgType.OPERATOR, "330000", "91", "MA2PT0001"),
    ("浙江省财政厅", OrgType.REGULATOR, "330000", "11", "002000001"),
    ("衢州市财政局", OrgType.REGULATOR, "330800", "11", "002000002"),
    ("衢州市教育局", OrgType.BUDGET_UNIT, "330800", "11", "002000011"),
    ("衢州第一中学", OrgType.BUDGET_UNIT, "330802", "12", "470000012"),
    ("衢州市人民医院", OrgType.BUDGET_UNIT, "330802", "12", "470000013"),
    ("柯城区卫生健康局", OrgType.BUDGET_UNIT, "330802", "11", "002000014"),
    ("江山市实验小学", OrgType.BUDGET_UNIT, "330881", "12", "470000015"),
    ("杭州市西湖区教育局", OrgType.BUDGET_UNIT, "330106", "11", "002000016"),
    ("衢州信安招标代理有限公司", OrgType.AGENCY, "330802", "91", "MA2AG0021"),
    ("浙江中诚工程管理咨询有限公司", OrgType.AGENCY, "330102", "91", "MA2AG0022"),
    ("衢州市恒信办公用品有限公司", OrgType.SUPPLIER, "330802", "91", "MA2GY0031"),
    ("浙江华越电脑科技有限公司", OrgType.SUPPLIER, "330102", "91", "MA2GY0032"),
    ("衢州市墨彩打印耗材有限公司", OrgType.SUPPLIER, "330803", "91", "MA2GY0033"),
    ("浙江森雅家具制造有限公司", OrgType.SUPPLIER, "330881", "91", "MA2GY0034"),
    ("衢州市惠民家电销售有限公司", OrgType.SUPPLIER, "330802", "91", "MA2GY0035"),
    ("龙游县精诚文化用品有限公司", OrgType.SUPPLIER, "330825", "91", "MA2GY0036"),
    ("杭州云启信息技术有限公司", OrgType.SUPPLIER, "330106", "91", "MA2GY0037"),
    ("常山县绿源物业保洁服务有限公司", OrgType.SUPPLIER, "330822", "91", "MA2GY0038"),
    ("开化县清泉饮用水有限公司", OrgType.SUPPLIER, "330824", "91", "MA2GY0039"),
    ("衢州市安达医疗器械有限公司", OrgType.SUPPLIER, "330803", "91", "MA2GY0040"),
    ("浙江智联网络设备有限公司", OrgType.SUPPLIER, "330105", "91", "MA2GY0041"),
    ("衢州市鑫盛印务有限公司", OrgType.SUPPLIER, "330802", "91", "MA2GY0042"),
    ("衢州农村商业银行", OrgType.BANK, "330800", "91", "MA2BK0051"),
]

# Fixed base32 secrets so the demo page and browser tests can compute codes (pyotp).
OPERATOR_TOTP_SECRET = "ZCOPERATORDEMOTOTPSECRETKEY23456"  # noqa: S105 - public demo secret
REGULATOR_TOTP_SECRET = "ZCREGULATORQUZHOUDEMOTOTPKEY2345"  # noqa: S105 - public demo secret
PROVINCE_REGULATOR_TOTP_SECRET = "ZCREGULATORZHEJIANGDEMOTOTPKEY23"  # noqa: S105 - public demo secret

DEMO_USERS: list[DemoUser] = [
    DemoUser(
        "operator", DEMO_PASSWORD, Role.OPERATOR, "政采云平台运营中心", OPERATOR_TOTP_SECRET, "周运营", is_admin=True
    ),
    DemoUser(
        "regulator", DEMO_PASSWORD, Role.REGULATOR, "衢州市财政局", REGULATOR_TOTP_SECRET, "李监管", is_admin=True
    ),
    DemoUser(
        "province_regulator",
        DEMO_PASSWORD,
        Role.REGULATOR,
        "浙江省财政厅",
        PROVINCE_REGULATOR_TOTP_SECRET,
        "王省监",
        is_admin=True,
    ),
    DemoUser("purchaser", DEMO_PASSWORD, Role.PURCHASER, "衢州市教育局", "", "陈采购", is_admin=True),
    # A second administrator of the same unit: payments are approved by someone other than
    # the person who asked for them.
    DemoUser("finance", DEMO_PASSWORD, Role.PURCHASER, "衢州市教育局", "", "林财务", is_admin=True),
    DemoUser(
        "zhangwei",
        DEMO_PASSWORD,
        Role.PURCHASER,
        "衢州第一中学",
        "",
        "张伟",
        is_admin=True,
        also_in=("江山市实验小学",),
    ),
    DemoUser("hospital", DEMO_PASSWORD, Role.PURCHASER, "衢州市人民医院", "", "刘医采", is_admin=True),
    DemoUser("agent", DEMO_PASSWORD, Role.AGENT, "衢州信安招标代理有限公司", "", "赵代理", is_admin=True),
    DemoUser("supplier", DEMO_PASSWORD, Role.SUPPLIER, "衢州市恒信办公用品有限公司", "", "孙供应", is_admin=True),
    DemoUser("supplier2", DEMO_PASSWORD, Role.SUPPLIER, "浙江华越电脑科技有限公司", "", "钱电脑", is_admin=True),
    DemoUser("supplier3", DEMO_PASSWORD, Role.SUPPLIER, "衢州市墨彩打印耗材有限公司", "", "吴耗材", is_admin=True),
    DemoUser("banker", DEMO_PASSWORD, Role.BANKER, "衢州农村商业银行", "", "郑信贷", is_admin=True),
]


def credit_code_for(prefix: str, region_code: str, org_code: str) -> str:
    return make_code(prefix, region_code, org_code)


def demo_users_for_login() -> list[dict[str, Any]]:
    """The demo logins as the login page shows them (demo mode only), with the current TOTP code."""
    # Real time, not core.clock: django-otp checks codes against the system time, and a
    # frozen demo clock must not show a code the verifier would refuse.
    return [
        {
            "username": user.username,
            "password": user.password,
            "role": Role(user.role).label,
            "organisation": " / ".join((user.organisation, *user.also_in)),
            "totp_secret": user.totp_secret,
            "current_code": pyotp.TOTP(user.totp_secret).now() if user.totp_secret else "",
        }
        for user in DEMO_USERS
    ]


def _region_ensure(code: str, name: str, level: str, parent_code: str | None) -> bool:
    """Create a region if missing (through the rules app's service); True if created."""
    if Region.objects.filter(code=code).exists():
        return False
    parent = Region.objects.get(code=parent_code) if parent_code else None
    region_create(actor=SEED_ACTOR, code=code, name=name, level=level, parent=parent)
    return True


def _organisation_ensure(name: str, org_type: str, region_code: str, prefix: str, org_code: str) -> Organisation:
    code = credit_code_for(prefix, region_code, org_code)
    existing = Organisation.objects.filter(credit_code=code).first()
    if existing is not None:
        return existing
    return accounts_services.organisation_create(
        actor=SEED_ACTOR, org_type=org_type, name=name, credit_code=code, region_code=region_code
    )


def _membership_ensure(user: User, org: Organisation, *, is_admin: bool) -> bool:
    role = ROLE_FOR_ORG_TYPE[org.org_type]
    if Membership.objects.filter(user=user, organisation=org, role=role, is_active=True).exists():
        return False
    accounts_services.membership_grant(
        actor=SEED_ACTOR, organisation_id=org.pk, username=user.username, role=role, is_admin=is_admin
    )
    return True


def seed_demo(stdout: Writer) -> dict[str, int]:
    """Load the demo data; idempotent. Returns how many things were created."""
    created = {"regions": 0, "organisations": 0, "users": 0, "memberships": 0}
    with transaction.atomic():
        for code, name, level, parent in REGIONS:
            created["regions"] += _region_ensure(code, name, level, parent)
        rules_seed_defaults(actor=SEED_ACTOR)
        organisations: dict[str, Organisation] = {}
        before = Organisation.objects.count()
        for name, org_type, region_code, prefix, org_code in ORGANISATIONS:
            organisations[name] = _organisation_ensure(name, org_type, region_code, prefix, org_code)
        created["organisations"] = Organisation.objects.count() - before
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = accounts_services.user_create(
                    actor=SEED_ACTOR,
                    username=demo.username,
                    display_name=demo.display_name,
                    email=f"{demo.username}@demo.zhengcai.local",
                    password=demo.password,
                )
                created["users"] += 1
            created["memberships"] += _membership_ensure(user, organisations[demo.organisation], is_admin=demo.is_admin)
            for other in demo.also_in:
                created["memberships"] += _membership_ensure(user, organisations[other], is_admin=False)
            if demo.totp_secret:
                accounts_services.totp_device_provision(
                    actor=SEED_ACTOR, username=demo.username, secret_base32=demo.totp_secret
                )
        created["budget_lines"] = budgets_seed_demo(actor=SEED_ACTOR)
        created["plans"] = plans_seed_demo(actor=SEED_ACTOR)
        # The e-mall, in dependency order: suppliers, categories and listings, then orders.
        created["suppliers"] = suppliers_seed_demo(actor=SEED_ACTOR)
        created["listings"] = listings_seed_demo(actor=SEED_ACTOR)
        created["shop"] = shop_seed_demo(actor=SEED_ACTOR)
        created["orders"] = orders_seed_demo(actor=SEED_ACTOR)
        created["sourcing"] = sourcing_seed_demo(actor=SEED_ACTOR)
    stdout.write(
        "Demo data ready: {regions} regions, {organisations} organisations, {users} users, "
        "{memberships} memberships created.\n".format(**created)
    )
    return created


def demo_banner(url: str) -> str:
    """The text ``bin/serve`` prints: where to go and how to log in."""
    lines = [f"zhengcai is running at {url}", "", "Demo logins (username / password / role / organisation):"]
    for user in DEMO_USERS:
        extra = f"  TOTP secret {user.totp_secret}" if user.totp_secret else ""
        organisations = " / ".join((user.organisation, *user.also_in))
        lines.append(f"  {user.username:<20} {user.password:<14} {user.role:<10} {organisations}{extra}")
    if any(u.totp_secret for u in DEMO_USERS):
        lines.append("")
        lines.append("TOTP codes for the accounts above are shown on the login page (demo mode).")
    return "\n".join(lines)
