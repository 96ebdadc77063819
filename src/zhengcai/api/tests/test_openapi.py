"""The committed OpenAPI snapshot (docs/openapi.json) matches the live schema."""

from __future__ import annotations

import difflib
import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from zhengcai.api.management.commands.export_openapi import openapi_document

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_snapshot_matches_the_live_schema() -> None:
    live = openapi_document()
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if live != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    live.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "live schema",
                )
            )[:80]
        )
        raise AssertionError(
            "The API schema changed but docs/openapi.json did not. If the change is intended, "
            f"run `make openapi` and commit docs/openapi.json.\n{diff}"
        )


def test_export_is_stable_sorted_and_ends_with_a_newline(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    call_command("export_openapi", "--output", str(target), stderr=io.StringIO())
    text = target.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert text == openapi_document()
    assert json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text


def test_export_to_stdout() -> None:
    out = io.StringIO()
    call_command("export_openapi", stdout=out)
    assert json.loads(out.getvalue())["info"]["title"] == "zhengcai API"


def test_served_schema_has_the_same_paths_and_documents_errors(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == json.loads(openapi_document())["paths"].keys()
    assert "Error" in served["components"]["schemas"]
    for operations in served["paths"].values():
        for operation in operations.values():
            assert operation["responses"]["default"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
    schemes = served["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
