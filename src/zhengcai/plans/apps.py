from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "zhengcai.plans"
    label = "plans"
    verbose_name = _("Procurement plans")
    default_auto_field = "django.db.models.BigAutoField"
