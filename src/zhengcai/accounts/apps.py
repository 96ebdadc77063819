from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhengcai.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from zhengcai.accounts import signals  # noqa: F401, PLC0415 - connects the receivers
