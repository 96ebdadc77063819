"""The vocabulary of plans: procurement methods, channels, organisation forms, mall modes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    E_MALL = "e_mall", _("E-mall purchase")
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    INQUIRY = "inquiry", _("Inquiry (request for quotations)")
    SINGLE_SOURCE = "single_source", _("Single source")
    FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")


class Channel(models.TextChoices):
    E_MALL = "e_mall", _("E-mall (below the limit, mall catalogue)")
    BELOW_LIMIT = "below_limit", _("Below the limit, bought by the unit")
    PROJECT = "project", _("Project procurement")


class MallMode(models.TextChoices):
    DIRECT = "direct", _("Direct purchase")
    INQUIRY = "inquiry", _("Online inquiry")
    REVERSE_AUCTION = "reverse_auction", _("Reverse auction")


class OrganisationForm(models.TextChoices):
    CENTRALISED = "centralised", _("Centralised procurement")
    DECENTRALISED = "decentralised", _("Decentralised procurement")
    SELF = "self", _("Procurement by the unit itself")


class SingleSourceGround(models.TextChoices):
    """The statutory grounds for single source (Law Art 31, Reg Art 27)."""

    ONLY_SUPPLIER = "only_supplier", _("Only one supplier can provide it (Law Art 31(1), Reg Art 27)")
    EMERGENCY = "emergency", _("Unforeseeable emergency, no other supplier possible (Law Art 31(2))")
    CONSISTENCY = (
        "consistency",
        _(
            "Additional purchase from the original supplier for consistency or service, total additions "
            "not above 10% of the original contract (Law Art 31(3))"
        ),
    )
