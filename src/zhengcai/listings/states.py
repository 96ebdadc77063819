"""Listing states (审核上架) and attribute kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Awaiting review")
    REJECTED = "rejected", _("Rejected")
    LISTED = "listed", _("Listed")
    DELISTED = "delisted", _("Delisted")


class AttributeKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")


class ReferenceSource(models.TextChoices):
    OFFICIAL = "official", _("Manufacturer's official price")
    ECOMMERCE = "ecommerce", _("Lowest self-operated price on major e-commerce sites")
