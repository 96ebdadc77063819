from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "zhengcai.shop"
    label = "shop"
    verbose_name = _("E-mall storefront and search")
