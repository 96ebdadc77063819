"""JSON API: /api/v1/ (see docs/api.md)."""

from ninja import Router

router = Router(tags=["E-mall search"])
