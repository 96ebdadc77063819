"""Budget lines (预算指标), their ledger, commitments and payment requests.

The four balance columns of ``BudgetLine`` are a cache of the ledger: only the services
write them, under the line's row lock, in the transaction that appends the entry.
``ledger_verify`` recomputes them from the entries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets.states import CommitmentStatus, PaymentStatus

ZERO = Decimal("0.00")


def _money(verbose: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=16, decimal_places=2, **kwargs)


functional_code_validator = RegexValidator(
    r"^\d{3}(\d{2}){0,2}$", _("A functional classification code has 3, 5 or 7 digits (e.g. 2050201).")
)
economic_code_validator = RegexValidator(
    r"^\d{3}(\d{2})?$", _("An economic classification code has 3 or 5 digits (e.g. 30201).")
)


class FundSource(models.TextChoices):
    GENERAL = "general", _("General public budget")
    GOVERNMENT_FUNDS = "government_funds", _("Government funds budget")
    STATE_CAPITAL = "state_capital", _("State capital operations budget")
    SPECIAL_ACCOUNT = "special_account", _("Fiscal special account")
    UNIT_FUNDS = "unit_funds", _("Unit's own funds")
    OTHER = "other", _("Other funds")


class BudgetLine(models.Model):
    fiscal_year = models.PositiveIntegerField(_("fiscal year"), db_index=True)
    budget_unit = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("budget unit"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    functional_code = models.CharField(
        _("functional classification"), max_length=7, validators=[functional_code_validator]
    )
    economic_code = models.CharField(_("economic classification"), max_length=5, validators=[economic_code_validator])
    fund_source = models.CharField(_("source of funds"), max_length=20, choices=FundSource.choices)
    project_code = models.CharField(_("project code"), max_length=40, blank=True)
    project_name = models.CharField(_("project name"), max_length=200)
    source_system = models.CharField(_("source system"), max_length=40, blank=True)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    allocated = _money(_("allocated"), default=ZERO)
    reserved = _money(_("reserved"), default=ZERO)
    committed = _money(_("committed"), default=ZERO)
    paid = _money(_("paid"), default=ZERO)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-fiscal_year", "budget_unit_id", "functional_code", "economic_code", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="budgetline_unique_external_id",
            ),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="budgetline_allocated_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="budgetline_reserved_gte_0"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="budgetline_committed_gte_0"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="budgetline_paid_gte_0"),
            models.CheckConstraint(
                condition=Q(allocated__gte=F("reserved") + F("committed") + F("paid")),
                name="budgetline_available_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.project_name} ({self.functional_code}/{self.economic_code})"

    @property
    def available(self) -> Decimal:
        return self.allocated - self.reserved - self.committed - self.paid

    @property
    def in_use(self) -> Decimal:
        return self.reserved + self.committed + self.paid


class EntryKind(models.TextChoices):
    ALLOCATE = "allocate", _("Allocated")
    ADJUST_UP = "adjust_up", _("Increased (追加)")
    ADJUST_DOWN = "adjust_down", _("Reduced (调减)")
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")
    COMMIT = "commit", _("Committed")
    UNCOMMIT = "uncommit", _("Commitment cancelled")
    RETURN = "return", _("Commitment cancelled, back to the reservation")
    REDUCE = "reduce", _("Commitment reduced")
    PAY = "pay", _("Paid")


class ReleaseReason(models.TextChoices):
    """Why reserved or committed money was given back (a ``release`` of a reservation or a
    ``reduce`` of a commitment); only ``savings`` counts in the savings figures."""

    SAVINGS = "savings", _("Savings (not needed when the procurement completed)")
    CANCELLED = "cancelled", _("Cancelled")
    REVISED = "revised", _("Plan revised")
    OTHER = "other", _("Other")


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("ledger entries are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never deleted")


class LedgerEntry(models.Model):
    """One movement of money on a line; appended by the services, never changed."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = _money(_("amount"))
    ref = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    commitment = models.ForeignKey(
        "Commitment",
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    reason = models.CharField(
        _("reason for the release"), max_length=12, choices=ReleaseReason.choices, blank=True, default=""
    )
    actor_label = models.CharField(_("by"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ledgerentry_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.ref})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never deleted")


class Commitment(models.Model):
    """The financial side of an order or a contract: money committed on one line."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="commitments"
    )
    ref = models.CharField(_("reservation reference"), max_length=64, db_index=True)
    commitment_ref = models.CharField(_("order or contract"), max_length=64, db_index=True)
    supplier_org_id = models.BigIntegerField(_("supplier"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = _money(_("amount"))
    accepted_amount = _money(_("accepted amount"), default=ZERO)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("payment due on"), null=True, blank=True, db_index=True)
    paid = _money(_("paid"), default=ZERO)
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("amount")), name="commitment_paid_le_amount"
            ),
            models.CheckConstraint(
                condition=Q(accepted_amount__gte=0) & Q(accepted_amount__lte=F("amount")),
                name="commitment_accepted_le_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_ref} ({self.amount})"

    @property
    def outstanding(self) -> Decimal:
        """Accepted but not yet paid."""
        return max(self.accepted_amount - self.paid, ZERO)


class PaymentRequest(models.Model):
    """A request to pay (part of) an accepted commitment (一体化支付)."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = _money(_("amount"))
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.DRAFT, db_index=True
    )
    voucher_no = models.CharField(_("voucher number"), max_length=64, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    requested_by_id = models.BigIntegerField(_("requested by (id)"), null=True, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=300)
    approved_by = models.CharField(_("approved by"), max_length=300, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="paymentrequest_amount_gt_0"),
            models.UniqueConstraint(
                fields=["voucher_no"], condition=~Q(voucher_no=""), name="paymentrequest_unique_voucher"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount} ({self.get_status_display()})"
