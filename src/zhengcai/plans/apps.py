from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "zhengcai.plans"
    label = "plans"
    verbose_name = _("Procurement plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhengcai.plans import refs  # noqa: PLC0415 - models load once the app registry is ready

        refs.register()
