"""Supplier onboarding states (入驻) and their transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.budgets.states import LabelledMachine
from zhengcai.core.states import Transition


class SupplierStatus(models.TextChoices):
    # A context of their own: "Approved" or "Suspended" mean other things in other apps.
    DRAFT = "draft", pgettext_lazy("supplier status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("supplier status", "Awaiting review")
    RETURNED = "returned", pgettext_lazy("supplier status", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("supplier status", "Approved")
    SUSPENDED = "suspended", pgettext_lazy("supplier status", "Suspended")


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


S = SupplierStatus

SUPPLIER_MACHINE = LabelledMachine(
    # Submit the profile for review (提交审核); a returned profile is resubmitted the same way.
    Transition("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED),
    Transition("approve", {S.SUBMITTED}, S.APPROVED),
    Transition("return", {S.SUBMITTED}, S.RETURNED),
    # Suspension (暂停): expired licence, credit penalty or the operator's decision.
    Transition("suspend", {S.APPROVED}, S.SUSPENDED),
    Transition("reinstate", {S.SUSPENDED}, S.APPROVED),
    # Refusals name the action in words ("approve the registration"), never "approve".
    labels={
        "submit": _("submit the supplier profile for review"),
        "approve": _("approve the supplier registration"),
        "return": _("return the supplier registration for changes"),
        "suspend": _("suspend the supplier"),
        "reinstate": _("reinstate the supplier"),
    },
)

# Statuses in which the supplier may change its profile data and documents.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Statuses in which the supplier may add a document (renewals while approved or suspended).
DOCUMENTS_OPEN = frozenset({S.DRAFT, S.RETURNED, S.APPROVED, S.SUSPENDED})
# Statuses in which an admitted supplier keeps its contacts and bank account up to date
# without a new review (the rest of the profile was what the operator approved).
ADMITTED = frozenset({S.APPROVED, S.SUSPENDED})
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "address")
BANK_FIELDS = ("bank_name", "bank_account")
