"""Forms of the budget pages; amounts are parsed with ``core.money.cny`` (never float)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets.amounts import amount_exact
from zhengcai.core import clock
from zhengcai.core.errors import ValidationFailed

MONEY_MAX_LENGTH = 30


class MoneyField(forms.CharField):
    """An amount in yuan typed as text ("12,345.67", "¥500"); too long or not a number gives a
    money message, not the generic "at most N characters"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MONEY_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Enter an amount of money such as 12,345.67 (at most 12 digits before the point).")},
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        if len(text) > MONEY_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["max_length"], code="max_length")
        try:
            return amount_exact(text)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc

    def run_validators(self, value: Any) -> None:
        # The length was checked on the text in ``to_python``; the validators would see a Decimal.
        return


class AdjustForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Adjustment"), choices=[("up", _("Increase (追加)")), ("down", _("Reduce (调减)"))]
    )
    amount = MoneyField(label=_("Amount (CNY)"))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("Columns as in the template; at most 5 MB."))


class PaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount (CNY)"))


class AcceptForm(forms.Form):
    """The acceptance (验收) of an order or contract: all or part of the committed amount."""

    accepted_amount = MoneyField(label=_("Accepted amount (CNY)"))
    accepted_on = forms.DateField(
        label=_("Accepted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].widget.attrs["max"] = clock.today().isoformat()


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=500)


class PaidForm(forms.Form):
    voucher_no = forms.CharField(label=_("Payment voucher number"), max_length=64)
