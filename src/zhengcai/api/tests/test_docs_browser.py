"""The Swagger UI page renders in a real browser under our strict CSP, with no violations."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("ZHENGCAI_CHROMIUM", "/usr/bin/chromium")


def test_swagger_ui_renders_without_csp_violations(live_server) -> None:  # type: ignore[no-untyped-def]
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on(
            "console",
            lambda msg: (
                problems.append(msg.text) if msg.type == "error" or "Content Security Policy" in msg.text else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        response = page.goto(f"{live_server.url}/api/v1/docs")
        assert response is not None
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(".opblock-tag", timeout=15_000)
        assert page.get_by_text("/api/v1/platform/whoami", exact=False).count() >= 1
        browser.close()
    assert problems == []
