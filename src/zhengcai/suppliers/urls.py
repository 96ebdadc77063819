from django.urls import path

from zhengcai.suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/documents/", views.document_add, name="document_add"),
    path("profile/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("profile/submit/", views.submit, name="submit"),
    path("profile/reinstatement-request/", views.reinstatement_request, name="reinstatement_request"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
]
