"""Listing states (审核上架) and attribute kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.budgets.states import LabelledMachine
from zhengcai.core.states import Transition


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Awaiting review")
    REJECTED = "rejected", pgettext_lazy("review", "Rejected")
    LISTED = "listed", _("Listed")
    DELISTED = "delisted", _("Delisted")


class AttributeKind(models.TextChoices):
    TEXT = "text", pgettext_lazy("attribute kind", "Text")
    NUMBER = "number", pgettext_lazy("attribute kind", "Number")
    CHOICE = "choice", pgettext_lazy("attribute kind", "Choice")


class ReferenceSource(models.TextChoices):
    OFFICIAL = "official", _("Manufacturer's official price")
    ECOMMERCE = "ecommerce", _("Lowest self-operated price on major e-commerce sites")


class CheckSeverity(models.TextChoices):
    BLOCKING = "blocking", _("Blocks submission")
    INFO = "info", _("For the reviewer's information")


# The life of a listing (审核上架): the supplier submits, the operator approves or rejects;
# a large price change or an edit of a listed product goes back to review; delisting is
# immediate; a delisted product comes back only through review.
LISTING_MACHINE = LabelledMachine(
    Transition("submit", {ListingStatus.DRAFT, ListingStatus.REJECTED}, ListingStatus.PENDING_REVIEW),
    Transition("approve", {ListingStatus.PENDING_REVIEW}, ListingStatus.LISTED),
    Transition("reject", {ListingStatus.PENDING_REVIEW}, ListingStatus.REJECTED),
    Transition("back_to_review", {ListingStatus.LISTED}, ListingStatus.PENDING_REVIEW),
    Transition("delist", {ListingStatus.LISTED, ListingStatus.PENDING_REVIEW}, ListingStatus.DELISTED),
    Transition("relist", {ListingStatus.DELISTED}, ListingStatus.PENDING_REVIEW),
    labels={
        "submit": _("submit the listing for review"),
        "approve": _("approve the listing"),
        "reject": _("reject the listing"),
        "back_to_review": _("send the listing back to review"),
        "delist": _("delist the product"),
        "relist": _("relist the product"),
    },
)

# Statuses in which the supplier may edit the content (title, specs, images...).
EDITABLE = frozenset({ListingStatus.DRAFT, ListingStatus.REJECTED, ListingStatus.DELISTED, ListingStatus.LISTED})
