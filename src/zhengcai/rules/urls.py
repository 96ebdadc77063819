from django.urls import path

from zhengcai.rules import views

app_name = "rules"

urlpatterns = [
    path("rulesets/", views.rulesets, name="rulesets"),
    path("rulesets/new/", views.ruleset_new, name="ruleset_new"),
    path("rulesets/<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/overrides/", views.calendar_override_set, name="calendar_override_set"),
    path("calendar/overrides/delete/", views.calendar_override_delete, name="calendar_override_delete"),
]
