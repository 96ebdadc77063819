"""The interactive API docs (Swagger UI) under our strict Content-Security-Policy.

The page loads only files served by the app itself (ninja's bundled Swagger UI): no CDN,
no inline script or style. The settings travel in a ``type="application/json"`` block,
which browsers never execute, and ninja's ``swagger-ui-init.js`` reads them.
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    template = "api/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise fetch a badge from validator.swagger.io (blocked by CSP).
        "validatorUrl": None,
        "persistAuthorization": False,
    }
