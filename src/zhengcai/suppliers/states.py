"""Supplier onboarding states (入驻) and their transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")


class EnterpriseSize(models.TextChoices):
    """Size under the SME classification standard (工信部联企业〔2011〕300号)."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


SME_SIZES = frozenset({EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.MICRO})
SMALL_MICRO_SIZES = frozenset({EnterpriseSize.SMALL, EnterpriseSize.MICRO})


class QualificationKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    INDUSTRY_PERMIT = "industry_permit", _("Industry permit")
    CERTIFICATION = "certification", _("Certification")
    AUTHORISATION = "authorisation", _("Manufacturer's authorisation")
    OTHER = "other", _("Other")
