"""The JSON API root: /api/v1/. Each app adds its router here, one line each."""

from zhengcai.api.base import ZhengcaiAPI

api = ZhengcaiAPI(
    title="zhengcai API",
    version="1",
    urls_namespace="api",
    description=(
        "Government procurement cloud (政府采购云平台) — JSON API. Authenticate with a system "
        "token (`Authorization: Bearer zc_…`) or a browser session with the `X-CSRFToken` "
        'header. Every error is `{"error": {"code", "message", "fields"?}}`. See docs/api.md.'
    ),
)

api.add_router("/platform/", "zhengcai.api.api.router")
api.add_router("/notifications/", "zhengcai.notify.api.router")
api.add_router("/accounts/", "zhengcai.accounts.api.router")
api.add_router("/audit/", "zhengcai.audit.api.router")
api.add_router("/rules/", "zhengcai.rules.api.router")
api.add_router("/budgets/", "zhengcai.budgets.api.router")
api.add_router("/plans/", "zhengcai.plans.api.router")
api.add_router("/suppliers/", "zhengcai.suppliers.api.router")
api.add_router("/mall/listings/", "zhengcai.listings.api.router")
api.add_router("/mall/orders/", "zhengcai.orders.api.router")
api.add_router("/mall/sourcing/", "zhengcai.sourcing.api.router")
api.add_router("/mall/", "zhengcai.shop.api.router")
