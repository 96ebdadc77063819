from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "zhengcai.sourcing"
    label = "sourcing"
    verbose_name = _("E-mall online inquiry and reverse auction")

    def ready(self) -> None:
        from zhengcai.sourcing import refs  # noqa: PLC0415 - registers once the app registry is ready

        refs.register()
