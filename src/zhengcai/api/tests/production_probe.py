"""Run in a subprocess with ZHENGCAI_PROFILE=production: print what responses carry, as JSON.

The test suite's own process runs the development profile, so production behaviour is
observed in a fresh interpreter that imports the settings the way a server would.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengcai.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    client = Client(HTTP_HOST="example.gov.cn")
    # Static files are not collected here; plain storage keeps {% static %} working in
    # templates without changing anything this probe looks at.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        plain = client.get("/healthz")
        secure = client.get("/healthz", secure=True)
        docs = client.get("/api/v1/docs", secure=True)
        api_401 = client.get("/api/v1/platform/whoami", secure=True)
    csrf_cookie = docs.cookies.get(settings.CSRF_COOKIE_NAME)
    report = {
        "debug": settings.DEBUG,
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location", ""),
        "secure_status": secure.status_code,
        "headers": {
            name: secure.get(name, "")
            for name in (
                "Strict-Transport-Security",
                "Content-Security-Policy",
                "X-Frame-Options",
                "X-Content-Type-Options",
                "Referrer-Policy",
            )
        },
        "docs_status": docs.status_code,
        "docs_csp": docs.get("Content-Security-Policy", ""),
        "api_401_status": api_401.status_code,
        "api_401_csp": api_401.get("Content-Security-Policy", ""),
        "csrf_cookie_secure": bool(csrf_cookie and csrf_cookie["secure"]),
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
        "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
        "csrf_cookie_secure_setting": settings.CSRF_COOKIE_SECURE,
    }
    sys.stdout.write(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
