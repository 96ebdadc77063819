"""Carts, orders (one per supplier), their lines, delivery notes, timeline and ratings.

Only ``orders.services`` writes these. An order snapshots what was bought (title, brand,
model, prices) so later listing changes never alter it; the budget side of an order is a
``budgets.Commitment`` referenced as ``order:<number>``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengcai.orders.states import OrderSource, OrderStatus
from zhengcai.rules.models import RuleStamped

ZERO = Decimal("0.00")


def _money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class CartLine(models.Model):
    """One listing in a purchaser's cart; a cart belongs to a user acting for one unit."""

    user_id = models.BigIntegerField(_("user (id)"), db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("budget unit"), on_delete=models.CASCADE, related_name="+"
    )
    listing = models.ForeignKey(
        "listings.Listing", verbose_name=_("listing"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price_when_added = _money(_("price when added"))
    added_at = models.DateTimeField(_("added at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "organisation", "listing"], name="cartline_one_per_listing"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cartline_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} × {self.quantity}"


class Order(RuleStamped):
    """An order to one supplier (订单), committed on one funding line of one plan."""

    number = models.CharField(_("order number"), max_length=32, unique=True)
    buyer = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("budget unit"), on_delete=models.PROTECT, related_name="mall_orders"
    )
    buyer_user_id = models.BigIntegerField(_("placed by (id)"), null=True, blank=True)
    buyer_label = models.CharField(_("placed by"), max_length=300)
    # The budget unit's region: the regulators of its region subtree see the order.
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    supplier = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="mall_sales"
    )
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_size = models.CharField(_("enterprise size"), max_length=10, blank=True)
    supplier_is_sme = models.BooleanField(_("SME supplier"), default=False)
    plan = models.ForeignKey(
        "plans.ProcurementPlan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="mall_orders"
    )
    line_id = models.BigIntegerField(_("budget line"))
    commitment_id = models.BigIntegerField(_("commitment"), null=True, blank=True)
    payment_request_id = models.BigIntegerField(_("payment request"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=OrderSource.choices, default=OrderSource.DIRECT)
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED, db_index=True
    )
    total_amount = _money(_("total amount"))
    reference_amount = _money(_("amount at reference prices"), default=ZERO)
    accepted_amount = _money(_("accepted amount"), default=ZERO)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=1000, blank=True)
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    confirm_due_at = models.DateTimeField(_("confirm by"), null=True, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="order_total_gt_0"),
            models.CheckConstraint(
                condition=Q(accepted_amount__gte=0) & Q(accepted_amount__lte=models.F("total_amount")),
                name="order_accepted_le_total",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "status"], name="order_buyer_status"),
            models.Index(fields=["supplier", "status"], name="order_supplier_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def commitment_ref(self) -> str:
        """The reference of this order's commitment in the budget ledger."""
        return f"order:{self.number}"

    @property
    def savings(self) -> Decimal:
        """Against reference prices: sum of (reference - unit price) × quantity, with the
        accepted quantity once accepted (the same rule as the figures, ``orders.figures``)."""
        total = Decimal("0")
        for line in self.lines.all():
            quantity = line.accepted_quantity if line.accepted_quantity is not None else line.quantity
            total += ((line.reference_price or line.unit_price) - line.unit_price) * quantity
        return total.quantize(Decimal("0.01"))

    @property
    def partly_accepted(self) -> bool:
        """Accepted for less than was ordered (部分验收)."""
        return self.status == OrderStatus.ACCEPTED and self.accepted_amount < self.total_amount


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(
        "listings.Listing",
        verbose_name=_("listing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    unit = models.CharField(_("unit of sale"), max_length=10, blank=True)
    unit_price = _money(_("unit price"))
    reference_price = _money(_("reference price"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = _money(_("amount"))
    shipped_quantity = models.PositiveIntegerField(_("shipped quantity"), default=0)
    accepted_quantity = models.PositiveIntegerField(_("accepted quantity"), null=True, blank=True)

    class Meta:
        ordering = ["order_id", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="orderline_unit_price_gt_0"),
            models.CheckConstraint(
                condition=Q(accepted_quantity__isnull=True) | Q(accepted_quantity__lte=models.F("quantity")),
                name="orderline_accepted_le_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} × {self.quantity}"

    @property
    def reference_amount(self) -> Decimal:
        return (self.reference_price or self.unit_price) * self.quantity


class DeliveryNote(models.Model):
    """A shipment (发货单); a rejected order is shipped again with a new note."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="deliveries")
    carrier = models.CharField(_("carrier"), max_length=100)
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True)
    quantities = models.JSONField(_("shipped quantities"), default=dict)  # {order line id (str): quantity}
    shipped_at = models.DateTimeField(_("shipped at"))
    shipped_by_label = models.CharField(_("shipped by"), max_length=300)

    class Meta:
        ordering = ["order_id", "shipped_at", "pk"]
        verbose_name = _("delivery note")
        verbose_name_plural = _("delivery notes")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class OrderEvent(models.Model):
    """One step of the order's tracking timeline (the audit trail keeps the legal record)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    actor_label = models.CharField(_("by"), max_length=300)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["order_id", "at", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


class SupplierRating(models.Model):
    """The purchaser's rating of the supplier for one accepted order (once per order)."""

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="rating")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    rated_by_label = models.CharField(_("rated by"), max_length=300)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("supplier rating")
        verbose_name_plural = _("supplier ratings")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.stars}"
