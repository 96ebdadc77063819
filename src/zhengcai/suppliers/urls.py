from django.urls import path  # noqa: F401 - patterns are added as the screens land

app_name = "suppliers"

urlpatterns: list = []
