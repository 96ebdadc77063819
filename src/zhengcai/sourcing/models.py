"""Online inquiries and reverse auctions of the e-mall (在线询价 / 反向竞价).

One ``SourcingEvent`` per inquiry or auction: the need (items, ceiling, delivery), the plan
line it draws on, its times and the rule values stamped when it was published. Inquiries
collect one ``Quote`` per supplier (prices per item in ``QuoteLine``); auctions collect
``Bid`` rows, each a total price. Only ``sourcing.services`` writes these.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.rules.models import RuleStamped
from zhengcai.sourcing.states import Kind, Status


def _money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class SourcingEvent(RuleStamped):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("budget unit"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    # The plan and its funding line (ids: plans and budgets are reached through their services).
    plan_id = models.BigIntegerField(_("plan"), db_index=True)
    line_id = models.BigIntegerField(_("budget line"))
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        "listings.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    ceiling = _money(_("ceiling price"))
    delivery_region_code = models.CharField(_("delivery region"), max_length=6)
    delivery_by = models.DateField(_("delivery by"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    # An inquiry opens when published and closes at ``closes_at`` (the quote deadline); an
    # auction runs from ``opens_at`` to ``closes_at``.
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    # Rule values stamped at publication, so later rule changes do not move the goalposts.
    min_responses = models.PositiveIntegerField(_("responses needed"))
    step_amount = _money(_("minimum bid step"), default=Decimal("0.00"))
    republished_from = models.ForeignKey(
        "self", verbose_name=_("re-publication of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    winner_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("winning supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award_amount = _money(_("award amount"), null=True, blank=True)
    order_id = models.BigIntegerField(_("order"), null=True, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    # Suppliers passed over after winning: they declined the order (or it was cancelled
    # before confirmation); the next award goes to the next in line without them.
    passed_over = models.JSONField(_("suppliers passed over"), default=list, blank=True)
    created_by_id = models.BigIntegerField(_("created by (id)"), null=True, blank=True)
    created_by_label = models.CharField(_("created by"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inquiry or auction")
        verbose_name_plural = _("inquiries and auctions")
        constraints = [
            models.CheckConstraint(condition=Q(ceiling__gt=0), name="sourcing_ceiling_positive"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="sourcing_window_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        prefix = "XJ" if self.kind == Kind.INQUIRY else "JJ"
        return f"{prefix}{self.pk:06d}"

    @property
    def ref(self) -> str:
        """How other apps refer to the event ("sourcing:XJ000002": the order's ``source_ref``,
        the plan hold's ref). Orders placed before used "sourcing:<pk>"; both read as the number."""
        return f"sourcing:{self.number}"


class SourcingItem(models.Model):
    event = models.ForeignKey(
        SourcingEvent, verbose_name=_("inquiry or auction"), on_delete=models.CASCADE, related_name="items"
    )
    description = models.CharField(_("description"), max_length=300)
    specs = models.TextField(_("specifications"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))  # whole units, as orders take them
    unit = models.CharField(_("unit"), max_length=20)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="sourcing_item_quantity_positive")]

    def __str__(self) -> str:
        return self.description


class Quote(models.Model):
    """One supplier's quote to an inquiry (revised in place until the deadline)."""

    event = models.ForeignKey(SourcingEvent, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="quotes")
    supplier = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    total = _money(_("total"))
    delivery_days = models.PositiveIntegerField(_("delivery days"))
    note = models.TextField(_("note"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("first submitted at"))
    # The time of the price in force: ties go to the quote whose price came first.
    priced_at = models.DateTimeField(_("priced at"))
    submitted_by_label = models.CharField(_("submitted by"), max_length=300)
    non_compliant = models.BooleanField(_("non-compliant"), default=False)
    non_compliant_reason = models.TextField(_("reason for non-compliance"), blank=True)

    class Meta:
        ordering = ["event_id", "total", "priced_at", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["event", "supplier"], name="sourcing_one_quote_per_supplier"),
            models.CheckConstraint(condition=Q(total__gte=0), name="sourcing_quote_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.supplier_id} {self.total}"


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(SourcingItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    unit_price = _money(_("unit price"))
    amount = _money(_("amount"))

    class Meta:
        ordering = ["quote_id", "item__position", "item_id"]
        verbose_name = _("quoted price")
        verbose_name_plural = _("quoted prices")
        constraints = [
            models.UniqueConstraint(fields=["quote", "item"], name="sourcing_one_price_per_item"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="sourcing_unit_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.unit_price}"


class Bid(models.Model):
    """One bid of a reverse auction: a total price, never changed or deleted."""

    event = models.ForeignKey(SourcingEvent, verbose_name=_("auction"), on_delete=models.CASCADE, related_name="bids")
    supplier = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    amount = _money(_("bid"))
    placed_at = models.DateTimeField(pgettext_lazy("bid", "placed at"))
    placed_by_label = models.CharField(pgettext_lazy("bid", "placed by"), max_length=300)

    class Meta:
        ordering = ["event_id", "amount", "placed_at", "pk"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sourcing_bid_positive"),
            # Two bids at the same price cannot both stand: the lock serialises, this backs it up.
            models.UniqueConstraint(fields=["event", "amount"], name="sourcing_bid_unique_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.supplier_id} {self.amount}"
