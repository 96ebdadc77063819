"""Forms of the budget pages; amounts are read as text and parsed by the services (cny)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AdjustForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Adjustment"), choices=[("up", _("Increase (追加)")), ("down", _("Reduce (调减)"))]
    )
    amount = forms.CharField(label=_("Amount (CNY)"), max_length=30)
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("Columns as in the template; at most 5 MB."))


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount (CNY)"), max_length=30)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=500)


class PaidForm(forms.Form):
    voucher_no = forms.CharField(label=_("Payment voucher number"), max_length=64)
