"""Procurement plans (采购计划), their items and fundings, and method-change requests."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Organisation
from zhengcai.catalogue.models import CatalogueItem
from zhengcai.plans.methods import Channel, Method, OrganisationForm, SingleSourceGround
from zhengcai.plans.states import ChangeStatus, PlanStatus
from zhengcai.rules.models import RuleSet, RuleStamped


class ProcurementPlan(RuleStamped):
    # The rule set is stamped when the plan is filed, not while it is a draft.
    rule_set = models.ForeignKey(  # type: ignore[assignment]  # nullable until filed
        RuleSet, verbose_name=_("rule set"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("budget unit"), on_delete=models.PROTECT, related_name="plans"
    )
    # Copied at creation: the regulator of this region receives filings and change requests.
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    organisation_form = models.CharField(_("organisation form"), max_length=20, choices=OrganisationForm.choices)
    required_by = models.DateField(_("required by"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    total_amount = models.DecimalField(_("total amount"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    default_method = models.CharField(_("default method"), max_length=30, choices=Method.choices, blank=True)
    allowed_methods = models.JSONField(_("allowed methods"), default=list, blank=True)
    mall_modes = models.JSONField(_("e-mall modes"), default=list, blank=True)
    chosen_method = models.CharField(_("chosen method"), max_length=30, choices=Method.choices, blank=True)
    decision_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    intention_published_on = models.DateField(_("intention published on"), null=True, blank=True)
    intention_summary = models.TextField(_("intention"), blank=True)
    earliest_start = models.DateField(_("earliest start"), null=True, blank=True)
    committed_amount = models.DecimalField(
        _("committed amount"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    released_amount = models.DecimalField(
        _("released amount"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    created_by_id = models.BigIntegerField(_("created by (id)"), null=True, blank=True)
    created_by_label = models.CharField(_("created by"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    first_committed_at = models.DateTimeField(_("first committed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("procurement plan")
        verbose_name_plural = _("procurement plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="plan_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        """The reference of this plan's reservations in the budget ledger."""
        return f"plan:{self.pk}"

    @property
    def number(self) -> str:
        return f"CG{self.fiscal_year}-{self.pk:06d}"


class PlanItem(models.Model):
    plan = models.ForeignKey(ProcurementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    catalogue_item = models.ForeignKey(
        CatalogueItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="plan_item_quantity_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="plan_item_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_item_id} {self.description}"


class PlanFunding(models.Model):
    plan = models.ForeignKey(ProcurementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="fundings")
    # The budgets app's line id (plans calls budgets by id, through its services).
    budget_line_id = models.BigIntegerField(_("budget line"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plan funding")
        verbose_name_plural = _("plan fundings")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="plan_funding_positive"),
            models.UniqueConstraint(fields=["plan", "budget_line_id"], name="plan_funding_one_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.budget_line_id} {self.amount}"


class MethodChangeRequest(models.Model):
    """A request to use a method other than the rules allow (采购方式变更), to the regulator."""

    plan = models.ForeignKey(
        ProcurementPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="change_requests"
    )
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    default_method = models.CharField(_("default method"), max_length=30, choices=Method.choices)
    requested_method = models.CharField(_("requested method"), max_length=30, choices=Method.choices)
    reasons = models.TextField(_("reasons"))
    statutory_ground = models.CharField(
        _("statutory ground"), max_length=20, choices=SingleSourceGround.choices, blank=True
    )
    supplier_name = models.CharField(_("proposed supplier"), max_length=200, blank=True)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True
    )
    requested_by_id = models.BigIntegerField(_("requested by (id)"), null=True, blank=True)
    requested_by_label = models.CharField(_("requested by"), max_length=300)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by_id = models.BigIntegerField(_("decided by (id)"), null=True, blank=True)
    decided_by_label = models.CharField(_("decided by"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("method-change request")
        verbose_name_plural = _("method-change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(status="pending"), name="one_pending_change_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.requested_method}"


class ChangeAttachment(models.Model):
    request = models.ForeignKey(
        MethodChangeRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="plans/changes/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class PlanHold(models.Model):
    """An earmark (占用) inside a plan's reservation on one line, e.g. for an open inquiry or
    auction: no ledger entry, but checkout and other events cannot spend it. Released when
    the event ends (the award consumes it through ``plan_commit(hold_ref=...)``)."""

    plan = models.ForeignKey(ProcurementPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="holds")
    budget_line_id = models.BigIntegerField(_("budget line"))
    # Who holds the money, e.g. "sourcing:XJ000002"; unique among the active holds.
    ref = models.CharField(_("reference"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("created at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan hold")
        verbose_name_plural = _("plan holds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="plan_hold_positive"),
            models.UniqueConstraint(
                fields=["ref"], condition=models.Q(released_at__isnull=True), name="plan_hold_one_active_per_ref"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.amount}"

    @property
    def active(self) -> bool:
        return self.released_at is None
