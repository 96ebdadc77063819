"""Recompute every budget line's balances from its ledger and compare them with the cache."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine


class Command(BaseCommand):
    help = "Check that the cached balances of every budget line equal the sums of its ledger entries."

    def handle(self, *args: Any, **options: Any) -> None:
        bad = 0
        count = 0
        for line in BudgetLine.objects.order_by("pk").iterator():
            count += 1
            result = ledger_verify(line)
            if not result.ok:
                bad += 1
                self.stderr.write(f"line {line.pk}: " + "; ".join(result.problems))
        if bad:
            raise CommandError(f"{bad} of {count} budget lines disagree with their ledger")
        self.stdout.write(self.style.SUCCESS(f"{count} budget lines agree with their ledger"))
