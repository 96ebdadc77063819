from django.urls import path

from zhengcai.audit import views

app_name = "audit"

urlpatterns = [
    path("heads/", views.public_heads, name="public_heads"),
    path("events/", views.events, name="events"),
    path("events/export.<str:fmt>", views.events_export, name="events_export"),
    path("events/<int:seq>/", views.event_detail, name="event"),
    path("verify/", views.verify, name="verify"),
]
