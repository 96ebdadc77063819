"""Root URL map: each app owns its prefix; the API lives under /api/v1/."""

from django.urls import include, path

from zhengcai.api.root import api

urlpatterns = [
    path("i18n/", include("zhengcai.web.urls_i18n")),  # public: switch language on the login page too
    path("api/v1/", api.urls),
    path("accounts/", include("zhengcai.accounts.urls")),
    path("audit/", include("zhengcai.audit.urls")),
    path("rules/", include("zhengcai.rules.urls")),
    path("notifications/", include("zhengcai.notify.urls")),
    path("budgets/", include("zhengcai.budgets.urls")),
    path("plans/", include("zhengcai.plans.urls")),
    path("catalogue/", include("zhengcai.catalogue.urls")),
    path("suppliers/", include("zhengcai.suppliers.urls")),
    path("mall/listings/", include("zhengcai.listings.urls")),
    path("mall/orders/", include("zhengcai.orders.urls")),
    path("mall/sourcing/", include("zhengcai.sourcing.urls")),
    path("mall/", include("zhengcai.shop.urls")),
    path("tokens/", include("zhengcai.api.urls_tokens")),
    path("", include("zhengcai.api.health_urls")),
    path("", include("zhengcai.web.urls")),
]
