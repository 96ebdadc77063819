"""``manage.py demo_banner --url URL``: print where the platform runs and the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from zhengcai.web.demo import demo_banner


class Command(BaseCommand):
    help = "Print the URL of the running platform and, in demo mode, the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the platform is served.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEMO_MODE:
            self.stdout.write(demo_banner(options["url"]))
        else:
            self.stdout.write(f"zhengcai is running at {options['url']}")
