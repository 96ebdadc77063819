from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "zhengcai.orders"
    label = "orders"
    verbose_name = _("E-mall orders")

    def ready(self) -> None:
        from zhengcai.orders import refs  # noqa: PLC0415 - registers once the app registry is ready

        refs.register()
