"""Root URL map: each app owns its prefix; the API lives under /api/v1/."""

from django.urls import include, path

from zhengcai.api.root import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("zhengcai.accounts.urls")),
    path("audit/", include("zhengcai.audit.urls")),
    path("rules/", include("zhengcai.rules.urls")),
    path("notifications/", include("zhengcai.notify.urls")),
    path("", include("zhengcai.api.health_urls")),
    path("", include("zhengcai.web.urls")),
]
