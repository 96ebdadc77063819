"""Demo data for this app (idempotent); called by ``web.demo.seed_demo``.

Every demo supplier organisation gets an approved profile with a business licence (a small
PDF made here, no network); the main demo supplier also has a certificate expiring within
20 days, so its profile shows the warning. One extra supplier registers and submits through
the real services, so the operator's review queue is not empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from zhengcai.accounts.models import Membership, Organisation
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.core.roles import OrgType
from zhengcai.suppliers import services
from zhengcai.suppliers.inputs import DocumentInput, RegistrationInput
from zhengcai.suppliers.models import Qualification, SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize, QualificationKind, SupplierStatus

# Sizes by organisation name; the rest alternate small / micro.
SIZES = {
    "浙江华越电脑科技有限公司": EnterpriseSize.LARGE,
    "浙江森雅家具制造有限公司": EnterpriseSize.MEDIUM,
}
# The demo supplier whose ISO certificate runs out soon (warning on its profile).
EXPIRING_FOR = "衢州市恒信办公用品有限公司"
EXPIRING_IN_DAYS = 15

PENDING = RegistrationInput(
    name="衢州市新锐办公设备有限公司",
    credit_code=make_code("91", "330802", "MA2GY0043"),
    region_code="330802",
    legal_representative="周新锐",
    contact_name="周新锐",
    contact_phone="13900000043",
    contact_email="newsupplier@example.test",
    address="衢州市柯城区荷花中路 43 号",
    bank_name="中国农业银行衢州分行",
    bank_account="19700000000000043",
    business_scope="办公设备、电子产品销售及维修",
    size=EnterpriseSize.MICRO,
    sme_declared=True,
    username="newsupplier",
    display_name="周新锐",
    phone="13900000043",
    email="newsupplier@example.test",
    password="zc-demo-2026",  # noqa: S106 - the public demo credential (web.demo.DEMO_PASSWORD)
)


def demo_pdf(title: str) -> bytes:
    """A minimal one-page PDF showing ``title`` (ASCII), made locally."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _document(profile: SupplierProfile, *, kind: str, title: str, label: str, expires_on: dt.date) -> None:
    content = demo_pdf(f"{label} {profile.organisation.credit_code}")
    Qualification.objects.create(
        supplier=profile,
        kind=kind,
        title=title,
        number=profile.organisation.credit_code or "",
        document=ContentFile(content, name=f"{kind}.pdf"),
        sha256=hashlib.sha256(content).hexdigest(),
        issued_on=dt.date(2020, 6, 1),
        expires_on=expires_on,
        required=kind == QualificationKind.BUSINESS_LICENCE,
        uploaded_at=clock.now(),
    )


def _approved_profile(org: Organisation, n: int, *, actor: Actor) -> None:
    today = clock.today()
    now = clock.now()
    size = SIZES.get(org.name, EnterpriseSize.SMALL if n % 2 == 0 else EnterpriseSize.MICRO)
    with transaction.atomic():
        profile = SupplierProfile.objects.create(
            organisation=org,
            legal_representative="王建国",
            contact_name="李娜",
            contact_phone=f"1380000{n:04d}",
            contact_email=f"sales{n}@example.test",
            address=f"{org.region.name}示范路 {n} 号",
            bank_name="中国工商银行衢州分行",
            bank_account=f"120900000000{n:05d}",
            business_scope="办公用品、计算机及外部设备、家具、家电销售及相关服务",
            size=size,
            sme_declared_at=None if size == EnterpriseSize.LARGE else now,
            status=SupplierStatus.APPROVED,
            created_at=now,
            submitted_at=now,
            approved_at=now,
        )
        _document(
            profile,
            kind=QualificationKind.BUSINESS_LICENCE,
            title="营业执照",
            label="Business licence",
            expires_on=today + dt.timedelta(days=3 * 365),
        )
        if org.name == EXPIRING_FOR:
            _document(
                profile,
                kind=QualificationKind.CERTIFICATION,
                title="ISO 9001 质量管理体系认证证书",
                label="ISO 9001 certificate",
                expires_on=today + dt.timedelta(days=EXPIRING_IN_DAYS),
            )
        services.audit_profile(actor, "suppliers.profile.seed", profile, size=size)


def _pending_supplier() -> int:
    if Organisation.objects.filter(credit_code=PENDING.credit_code).exists():
        return 0
    profile = services.supplier_register(data=PENDING)
    membership = Membership.objects.select_related("user", "organisation__region").get(
        organisation=profile.organisation, user__username=PENDING.username
    )
    supplier = actor_from_membership(membership.user, membership)
    content = demo_pdf(f"Business licence {PENDING.credit_code}")
    services.qualification_add(
        actor=supplier,
        data=DocumentInput(
            kind=QualificationKind.BUSINESS_LICENCE,
            title="营业执照",
            number=PENDING.credit_code,
            issued_on=dt.date(2024, 3, 1),
            expires_on=clock.today() + dt.timedelta(days=5 * 365),
            document=ContentFile(content, name="licence.pdf"),  # type: ignore[arg-type]
        ),
    )
    services.supplier_submit(actor=supplier)
    return 1


def seed_demo(*, actor: Actor) -> int:
    """Create this app's demo data unless it is there; return how many things were created."""
    created = 0
    orgs = Organisation.objects.filter(org_type=OrgType.SUPPLIER, supplier_profile__isnull=True).select_related(
        "region"
    )
    for n, org in enumerate(orgs.order_by("credit_code"), start=1):
        _approved_profile(org, n, actor=actor)
        created += 1
    return created + _pending_supplier()
