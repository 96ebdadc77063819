"""E-mall categories with attribute templates (统一标准), listings (商品) and price history.

Only ``listings.services`` writes these. Search (``shop``) reads listed listings and keeps its
own index; ``Listing.search_dirty`` marks rows whose index entry is stale.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengcai.listings.states import AttributeKind, ListingStatus, ReferenceSource


def _money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class Category(models.Model):
    """A node of the mall's category tree; leaves carry listings and an attribute template."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    catalogue_item = models.ForeignKey(
        "catalogue.CatalogueItem",
        verbose_name=_("procurement catalogue code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mall_categories",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class AttributeSpec(models.Model):
    """One attribute of a category's template: required or optional, typed, with a unit."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="specs")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=60)
    label_en = models.CharField(_("English label"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AttributeKind.choices, default=AttributeKind.TEXT)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allowed_values = models.JSONField(_("allowed values"), default=list, blank=True)  # for kind=choice
    filterable = models.BooleanField(_("offered as a search filter"), default=False)
    # For kind=number: counts (pages, sheets, pieces) take whole numbers only.
    integer = models.BooleanField(_("whole numbers only"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category_id", "position", "pk"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        constraints = [models.UniqueConstraint(fields=["category", "key"], name="attributespec_unique_key")]

    def __str__(self) -> str:
        return self.label


class Listing(models.Model):
    supplier = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="listings"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="listings"
    )
    title = models.CharField(_("title"), max_length=200)
    brand = models.CharField(_("brand"), max_length=60)
    model = models.CharField(_("model"), max_length=80)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)  # {attribute key: value}
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit of sale"), max_length=10, default="件")
    price = _money(_("price"))
    reference_price = _money(_("reference price"))
    reference_source = models.CharField(_("reference price source"), max_length=20, choices=ReferenceSource.choices)
    reference_url = models.URLField(_("reference price link"), blank=True)
    # The price the operator last approved: the price-review threshold is measured against it,
    # so step-wise increases add up (null until the first approval).
    reviewed_price = _money(_("last reviewed price"), null=True, blank=True)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    # Region codes the supplier delivers to; a province code covers its cities and counties.
    delivery_regions = models.JSONField(_("delivery regions"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT, db_index=True
    )
    check_results = models.JSONField(_("automatic check results"), default=list, blank=True)
    # Whether any check in check_results did not pass (blocking or informational): the queue's filter.
    check_failed = models.BooleanField(_("a check did not pass"), default=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    sales_count = models.PositiveIntegerField(_("units sold"), default=0)
    search_dirty = models.BooleanField(_("search index stale"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="listing_price_gt_0"),
            models.CheckConstraint(condition=Q(reference_price__gt=0), name="listing_reference_price_gt_0"),
        ]
        indexes = [models.Index(fields=["supplier", "status"], name="listing_supplier_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"SP{self.pk:08d}"

    @property
    def savings_against_reference(self) -> Decimal:
        return self.reference_price - self.price


class ListingImage(models.Model):
    listing = models.ForeignKey(Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="listings/%Y/%m/")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["listing_id", "position", "pk"]
        verbose_name = _("listing image")
        verbose_name_plural = _("listing images")

    def __str__(self) -> str:
        return self.image.name


class PriceChange(models.Model):
    """Price history: one row per price the listing has had, kept forever."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="price_changes"
    )
    old_price = _money(_("old price"), null=True, blank=True)
    new_price = _money(_("new price"))
    changed_at = models.DateTimeField(_("changed at"))
    changed_by_label = models.CharField(_("changed by"), max_length=300)
    needs_review = models.BooleanField(_("sent back to review"), default=False)

    class Meta:
        ordering = ["listing_id", "-changed_at", "-pk"]
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")

    def __str__(self) -> str:
        return f"{self.old_price} -> {self.new_price}"


class BannedWord(models.Model):
    """A word a listing may not use (advertising-law superlatives and the like), kept by the operator."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["word"]
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")

    def __str__(self) -> str:
        return self.word
