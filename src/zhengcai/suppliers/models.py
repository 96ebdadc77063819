"""Supplier profiles (供应商入驻) and their qualification documents.

A supplier is an ``accounts.Organisation`` of type supplier; the profile holds what the
e-mall and tendering need to know about it. Onboarding is once for the whole platform.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengcai.suppliers.states import EnterpriseSize, QualificationKind, SupplierStatus


class SupplierProfile(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="supplier_profile"
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100)
    bank_account = models.CharField(_("bank account"), max_length=40)
    business_scope = models.TextField(_("business scope"))
    size = models.CharField(_("enterprise size"), max_length=10, choices=EnterpriseSize.choices)
    # The SME declaration letter (中小企业声明函) is the only proof needed (财库〔2020〕46号 Art. 4).
    sme_declared_at = models.DateTimeField(_("SME declaration signed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SupplierStatus.choices, default=SupplierStatus.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    suspended_reason = models.TextField(_("reason for suspension"), blank=True)
    # A credit penalty (e.g. 政府采购严重违法失信行为记录) bars selling until this date.
    credit_penalty_until = models.DateField(_("credit penalty until"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    # The suspended supplier asked to be reinstated (after uploading a valid document).
    reinstatement_requested_at = models.DateTimeField(_("reinstatement requested at"), null=True, blank=True)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_sme(self) -> bool:
        return self.size != EnterpriseSize.LARGE and self.sme_declared_at is not None


class Qualification(models.Model):
    supplier = models.ForeignKey(
        SupplierProfile, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=QualificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    document = models.FileField(_("document"), upload_to="suppliers/qualifications/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)  # null: no expiry
    uploaded_at = models.DateTimeField(_("uploaded at"))
    expiry_warned_at = models.DateTimeField(_("expiry warning sent at"), null=True, blank=True)
    # A required document must stay valid to sell; the business licence always is.
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["expires_on", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.title
