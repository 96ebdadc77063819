"""The JSON API root: /api/v1/. Each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="zhengcai API",
    version="1",
    urls_namespace="api",
    description="Government procurement cloud (政府采购云平台) — JSON API.",
)
