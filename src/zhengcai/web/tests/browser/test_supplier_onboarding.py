"""Supplier onboarding (入驻) in real Chromium: a new company registers on the public page,
uploads its business licence and submits; the operator returns it with reasons; the
supplier adds what was asked for and submits again; the operator approves and the company
may sell in the e-mall."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from playwright.sync_api import Page, expect

from zhengcai.core import clock
from zhengcai.core.creditcode import make_code
from zhengcai.notify.tasks import outbox_sweep
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import QualificationKind, SupplierStatus
from zhengcai.web.tests.browser.journey_helpers import open_notification, second_page
from zhengcai.web.tests.browser.test_journeys import demo_user, log_in
from zhengcai.web.tests.browser.test_plans_journey import zh

pytestmark = pytest.mark.browser

COMPANY = "衢州市博远文具科技有限公司"
CREDIT_CODE = make_code("91", "330803", "MA2K8W3TX")
USERNAME = "boyuan"
PASSWORD = "Boyuan-Office-2026"
RETURN_REASON = "营业执照扫描件不清晰，请补充上传开户许可证。"


def small_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` on it, cross-reference table and all."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def register(page: Page) -> None:
    """The public registration form, reached from the login page's link."""
    page.goto(reverse("accounts:login"))
    page.get_by_test_id("supplier-register-link").click()
    form = page.get_by_test_id("register-form")
    expect(form).to_be_visible()
    values = {
        "name": COMPANY,
        "credit_code": CREDIT_CODE,
        "legal_representative": "王建国",
        "contact_name": "李晓燕",
        "contact_phone": "0570-3012345",
        "contact_email": "sales@boyuan.example.cn",
        "address": "衢州市衢江区东港工业园区振兴路 18 号",
        "bank_name": "衢州农村商业银行衢江支行",
        "bank_account": "201000123456789",
        "business_scope": "办公设备、打印耗材、计算机及配件的销售与维修。",
        "username": USERNAME,
        "display_name": "李晓燕",
        "phone": "13905701234",
        "email": "lixiaoyan@boyuan.example.cn",
        "password": PASSWORD,
    }
    for name, value in values.items():
        form.locator(f"#f-{name}").fill(value)
    form.locator("#f-region_code").select_option("330803")
    form.locator("#f-size").select_option("small")
    form.locator("#f-sme_declared").check()
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()


def upload(page: Page, *, kind: str, title: str, number: str, issued: dt.date, expires: dt.date | None) -> bytes:
    """Upload a generated PDF as a qualification document; returns the file's bytes."""
    data = small_pdf(f"{kind} {number}")
    form = page.get_by_test_id("document-form")
    form.locator("#kind").select_option(kind)
    form.locator("#title").fill(title)
    form.locator("#number").fill(number)
    form.locator("#issued_on").fill(issued.isoformat())
    if expires is not None:
        form.locator("#expires_on").fill(expires.isoformat())
    form.locator("#document").set_input_files({"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": data})
    page.get_by_test_id("document-upload").click()
    return data


def open_from_queue(page: Page) -> None:
    """The operator opens the company from the queue of registrations awaiting review."""
    page.goto(reverse("suppliers:review_queue"))
    page.get_by_test_id("review-row").filter(has_text=COMPANY).get_by_role("link", name=COMPANY).click()


def decide(page: Page, *, action: str, comment: str) -> None:
    """On the review page: the submitted profile with its documents, a comment, a decision."""
    expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.SUBMITTED.label))
    expect(page.get_by_test_id("document-row").first).to_be_visible()
    page.fill("#comment", comment)
    page.get_by_test_id(f"review-{action}").click()


def test_supplier_registers_is_returned_resubmits_and_is_approved(page: Page, demo_data, browser) -> None:  # type: ignore[no-untyped-def]
    today = clock.today()
    register(page)
    profile = SupplierProfile.objects.get(organisation__credit_code=CREDIT_CODE)
    assert profile.status == SupplierStatus.DRAFT
    assert profile.sme_declared_at is not None

    # The new supplier signs in, uploads its business licence and submits.
    log_in(page, USERNAME, PASSWORD)
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    page.goto(reverse("suppliers:profile"))
    expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.DRAFT.label))
    licence = upload(
        page,
        kind=QualificationKind.BUSINESS_LICENCE,
        title="营业执照",
        number=CREDIT_CODE,
        issued=today - dt.timedelta(days=400),
        expires=None,
    )
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    page.get_by_test_id("profile-submit").click()
    expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.SUBMITTED.label))
    outbox_sweep()  # what the background worker does: deliver the notifications

    with second_page(browser, demo_data, "onboarding_operator") as operator:
        # The operator returns it with reasons.
        staff = demo_user("operator")
        log_in(operator, staff.username, staff.password, staff.totp_secret)
        expect(operator.get_by_test_id("dashboard-title")).to_be_visible()
        open_notification(operator, COMPANY)
        expect(operator.get_by_test_id("document-row")).to_have_count(1)
        with operator.expect_download() as download:  # the very file the supplier uploaded
            operator.get_by_test_id("document-row").get_by_role("link", name="营业执照").click()
        assert Path(download.value.path()).read_bytes() == licence
        decide(operator, action="return", comment=RETURN_REASON)
        expect(operator.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.RETURNED.label))
        outbox_sweep()

        # The supplier is told, reads the reasons, uploads the missing document and submits again.
        open_notification(page, RETURN_REASON)
        expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.RETURNED.label))
        expect(page.get_by_test_id("returned-reasons")).to_contain_text(RETURN_REASON)
        expect(page.get_by_test_id("may-sell")).to_have_text(zh(gettext_lazy("No")))
        upload(
            page,
            kind=QualificationKind.OTHER,
            title="开户许可证",
            number="J3380001234501",
            issued=today - dt.timedelta(days=30),
            expires=today + dt.timedelta(days=3 * 365),
        )
        expect(page.get_by_test_id("document-row")).to_have_count(2)
        page.get_by_test_id("profile-submit").click()
        expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.SUBMITTED.label))

        # The operator approves.
        open_from_queue(operator)
        decide(operator, action="approve", comment="资料齐全，同意入驻。")
        expect(operator.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.APPROVED.label))
        expect(operator.get_by_test_id("may-sell")).to_have_text(zh(gettext_lazy("Yes")))
        assert not operator.js_errors, operator.js_errors  # type: ignore[attr-defined]

    # The supplier sees the approval and may now sell in the e-mall.
    page.reload()
    expect(page.get_by_test_id("profile-status")).to_have_text(zh(SupplierStatus.APPROVED.label))
    expect(page.get_by_test_id("may-sell")).to_have_text(zh(gettext_lazy("Yes")))
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.APPROVED
    assert profile.qualifications.count() == 2
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]
