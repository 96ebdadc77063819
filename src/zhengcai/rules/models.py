"""Regions, versioned rule sets and the working-day calendar overrides."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengcai.rules.values import RuleValues


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")


class Region(models.Model):
    """An administrative division, identified by its 6-digit code (行政区划代码)."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The code prefix shared by this region and everything under it."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.CITY:
            return self.code[:4]
        return self.code

    def ancestors(self) -> list[Region]:
        """This region and its parents, nearest first."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class RuleSetImmutableError(Exception):
    """Rule-set versions are never edited or deleted: a change is a new version."""


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def update(self, **kwargs: Any) -> int:
        raise RuleSetImmutableError("rule sets are never edited; create a new version")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuleSetImmutableError("rule sets are never deleted")


class RuleSet(models.Model):
    """One version of the rules for a region (or, with no region, the national default).

    ``values`` holds a complete ``rules.values.RuleValues`` snapshot. A version is never
    edited: a change is a new version with a later ``effective_from``; processes keep the
    version they started under (``RuleStamped``).
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_sets",
        help_text=_("Empty for the national default."),
    )
    effective_from = models.DateField(_("effective from"))
    version_label = models.CharField(_("version"), max_length=100)
    source = models.CharField(_("legal basis"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    values = models.JSONField(_("values"))
    # Plain id and label (not a foreign key): accounts sits above rules in the layers.
    created_by_id = models.BigIntegerField(_("created by (id)"), null=True, blank=True)
    created_by_label = models.CharField(_("created by"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="ruleset_unique_region_date"),
            # NULLs are distinct in a unique index, so the national default needs its own.
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=models.Q(region__isnull=True),
                name="ruleset_unique_national_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_label} ({self.effective_from:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuleSetImmutableError("rule sets are never edited; create a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuleSetImmutableError("rule sets are never deleted")

    @property
    def rule_values(self) -> RuleValues:
        return RuleValues.model_validate(self.values)

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class RuleStamped(models.Model):
    """Mixin for every process (plan, tender, ...): the rule-set version it started under.

    Set it once, at creation, from ``rules.selectors.ruleset_stamp(region=..., at=...)``;
    PROTECT keeps the version alive as long as a process refers to it.
    """

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def rules(self) -> RuleValues:
        return self.rule_set.rule_values


class CalendarOverride(models.Model):
    """The operator's correction of the working-day calendar for one day (wins over the package)."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by_id = models.BigIntegerField(_("created by (id)"), null=True, blank=True)
    created_by_label = models.CharField(_("created by"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'+' if self.is_working_day else '-'}"
