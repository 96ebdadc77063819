"""Organisation types and roles: the vocabulary every permission check is written in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    BUDGET_UNIT = "budget_unit", _("Budget unit")
    AGENCY = "agency", _("Procurement agency")
    SUPPLIER = "supplier", _("Supplier")
    REGULATOR = "regulator", _("Regulator (finance bureau)")
    BANK = "bank", _("Bank")
    OPERATOR = "operator", _("Platform operator")


class Role(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    AGENT = "agent", _("Agency staff")
    SUPPLIER = "supplier", _("Supplier staff")
    REGULATOR = "regulator", _("Regulator")
    BANKER = "banker", _("Bank staff")
    OPERATOR = "operator", _("Operator")


# The one role each organisation type gives its members.
ROLE_FOR_ORG_TYPE: dict[str, str] = {
    OrgType.BUDGET_UNIT: Role.PURCHASER,
    OrgType.AGENCY: Role.AGENT,
    OrgType.SUPPLIER: Role.SUPPLIER,
    OrgType.REGULATOR: Role.REGULATOR,
    OrgType.BANK: Role.BANKER,
    OrgType.OPERATOR: Role.OPERATOR,
}

# Roles whose accounts must log in with a second factor (TOTP).
ROLES_REQUIRING_TOTP: frozenset[str] = frozenset({Role.REGULATOR, Role.OPERATOR})
