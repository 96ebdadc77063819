"""Catalogue reads: groups are told apart from purchasable items."""

from __future__ import annotations

import pytest

from zhengcai.catalogue.models import CatalogueItem
from zhengcai.catalogue.selectors import catalogue_groups, catalogue_search

pytestmark = pytest.mark.django_db


def test_groups_are_the_codes_with_entries_under_them() -> None:
    assert catalogue_groups(["A", "a02000000 ", "A02010105", "A02021000", "NOPE"]) == {"A", "A02000000"}


def test_scanner_hangs_under_office_equipment_not_the_printer() -> None:
    assert CatalogueItem.objects.get(code="A02021118").parent.code == "A02020000"  # type: ignore[union-attr]


def test_search_offers_only_purchasable_items() -> None:
    codes = [item.code for item in catalogue_search("A0201")]
    assert "A02010105" in codes
    assert "A02010100" not in codes
    assert "A02010000" not in codes
