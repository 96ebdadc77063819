from django.urls import path

from zhengcai.budgets import views

app_name = "budgets"

urlpatterns = [
    path("", views.lines, name="lines"),
    path("lines.xlsx", views.lines_export, name="lines_export"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/adjust/", views.line_adjust, name="line_adjust"),
    path("import/", views.lines_import, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("payments/", views.payments, name="payments"),
    path("payments.xlsx", views.payments_export, name="payments_export"),
    path("payments/new/<int:commitment_id>/", views.payment_create, name="payment_create"),
    path("payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/<str:action>/", views.payment_action, name="payment_action"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/accept/", views.commitment_accept, name="commitment_accept"),
    path("figures/", views.figures, name="figures"),
]
