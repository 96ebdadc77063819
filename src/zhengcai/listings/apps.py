from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "zhengcai.listings"
    label = "listings"
    verbose_name = _("E-mall categories and listings")
