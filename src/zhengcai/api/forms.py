from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengcai.api.services import NAME_MAX_LENGTH


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the token is for, e.g. “budget system sync”."),
    )
