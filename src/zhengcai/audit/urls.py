from django.urls import path

from zhengcai.audit import views

app_name = "audit"

urlpatterns = [
    path("heads/", views.public_heads, name="public_heads"),
]
