"""The government procurement catalogue (政府采购品目分类目录, 财库〔2022〕31号)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


KIND_FOR_LETTER: dict[str, str] = {"A": CatalogueKind.GOODS, "B": CatalogueKind.WORKS, "C": CatalogueKind.SERVICES}


class CatalogueItem(models.Model):
    """One node of the catalogue; the leading letter of the code gives the kind."""

    code = models.CharField(_("catalogue code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CatalogueKind.choices)
    in_mall = models.BooleanField(_("bought through the e-mall below the limit"), default=False)
    is_centralised = models.BooleanField(_("in the centralised procurement catalogue"), default=False)
    # The shipped list mixes codes checked against published 2022 catalogues with codes we
    # could not check; the latter are flagged so the operator knows what to verify.
    unverified = models.BooleanField(_("code not verified against the published catalogue"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
