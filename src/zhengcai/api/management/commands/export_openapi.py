"""Write the live OpenAPI schema as stable JSON (sorted keys, trailing newline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from zhengcai.api.root import api


def openapi_document() -> str:
    """The schema as committed in docs/openapi.json: English, sorted, one trailing newline."""
    # Descriptions may be lazy translations; the snapshot is always the English source.
    with translation.override("en"):
        schema: dict[str, Any] = api.get_openapi_schema(path_prefix="/api/v1/")
        # A round trip turns integer status keys into strings so that every key sorts.
        plain = json.loads(json.dumps(schema, default=str))
    return json.dumps(plain, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Export the OpenAPI schema of /api/v1/ (make openapi writes docs/openapi.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-", help="file to write, or - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        document = openapi_document()
        output = options["output"]
        if output == "-":
            self.stdout.write(document, ending="")
            return
        Path(output).write_text(document, encoding="utf-8")
        self.stderr.write(f"wrote {output}")
