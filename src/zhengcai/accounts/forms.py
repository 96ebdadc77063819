"""Forms for the accounts pages. They render and coerce input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.creditcode import normalise as normalise_credit_code
from zhengcai.core.errors import DomainError
from zhengcai.core.roles import OrgType, Role


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "class": "form-control"}
        ),
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False)
    org_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *OrgType.choices])
    region = forms.CharField(label=_("Region code"), required=False, max_length=6)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_type = self.fields["org_type"]
        assert isinstance(org_type, forms.ChoiceField)
        org_type.error_messages["invalid_choice"] = _(
            "“%(value)s” is not an organisation type; choose one from the list."
        )

    def clean_region(self) -> str:
        code: str = self.cleaned_data["region"].strip()
        if code and region_prefix(code) is None:
            raise forms.ValidationError(_("Unknown region code “%(code)s”."), params={"code": code})
        return code


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    region_code = forms.CharField(label=_("Region code"), max_length=6)

    def clean_credit_code(self) -> str:
        # Full-width characters and spaces from a pasted licence are the same code.
        return normalise_credit_code(self.cleaned_data["credit_code"])


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_admin = forms.BooleanField(label=_("Organisation administrator"), required=False)


def add_domain_errors(form: forms.Form, error: DomainError) -> None:
    """Show a service's field errors on the form fields (others as a form-wide error)."""
    placed = False
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(error.message))
