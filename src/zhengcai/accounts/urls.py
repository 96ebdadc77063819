from django.contrib.auth import views as auth_views
from django.urls import path

from zhengcai.accounts.views import auth, organisations

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("totp/", auth.totp_verify, name="totp_verify"),
    path("totp/setup/", auth.totp_setup, name="totp_setup"),
    path("switch/", auth.switch, name="switch"),
    path("profile/", auth.profile, name="profile"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("organisations/", organisations.organisations, name="organisations"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/members/", organisations.member_add, name="member_add"),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/revoke/",
        organisations.member_revoke,
        name="member_revoke",
    ),
    path("organisations/<int:pk>/deactivate/", organisations.organisation_deactivate, name="organisation_deactivate"),
]
