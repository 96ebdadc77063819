"""``manage.py seed_demo``: load the demo data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengcai.web.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo regions, organisations and users (running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        seed_demo(self.stdout)
