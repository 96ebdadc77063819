"""Category tree and attribute template services: operator only, validated, audited, in-use rules."""

from __future__ import annotations

from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.listings import category_services as cs
from zhengcai.listings import selectors
from zhengcai.listings.models import AttributeSpec
from zhengcai.listings.tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_create_validates(operator: Actor, categories: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cs.category_create(actor=operator, code="Bad Code", name="", catalogue_code="NOPE")
    assert set(exc.value.fields) == {"code", "name", "catalogue_code"}
    with pytest.raises(ValidationFailed) as exc:
        cs.category_create(actor=operator, code="office", name="重复")
    assert "code" in exc.value.fields
    c = cs.category_create(
        actor=operator, code="office-tape", name="胶带", parent_id=categories["office"].pk, catalogue_code="a05040000"
    )
    assert c.catalogue_item.code == "A05040000"
    assert AuditEvent.objects.filter(action="listings.category.create", object_id=str(c.pk)).exists()


def test_only_operators(supplier: Actor, purchaser: Actor, categories: Any) -> None:
    for actor in (supplier, purchaser):
        with pytest.raises(NotPermitted):
            cs.category_create(actor=actor, code="x", name="x")
        with pytest.raises(NotPermitted):
            cs.spec_save(actor=actor, category_id=categories["office-paper"].pk, key="k", label="k")


def test_no_cycles_and_no_children_under_listed(operator: Actor, supplier_org: Any, categories: Any) -> None:
    office = categories["office"]
    with pytest.raises(ValidationFailed) as exc:
        cs.category_update(
            actor=operator,
            category_id=office.pk,
            code="office",
            name="办公用品",
            parent_id=categories["office-paper"].pk,
        )
    assert "parent" in exc.value.fields
    ListingFactory(supplier=supplier_org, category=categories["office-paper"])
    with pytest.raises(ValidationFailed):
        cs.category_create(actor=operator, code="paper-sub", name="子类", parent_id=categories["office-paper"].pk)


def test_specs_add_edit_move_remove(operator: Actor, categories: Any) -> None:
    paper = categories["office-paper"]
    spec = cs.spec_save(actor=operator, category_id=paper.pk, key="brightness", label="白度", kind="number", unit="%")
    assert [s.key for s in selectors.category_specs(paper.pk)][-1] == "brightness"
    cs.spec_move(actor=operator, spec_id=spec.pk, direction="up")
    assert [s.key for s in selectors.category_specs(paper.pk)][-2] == "brightness"
    with pytest.raises(ValidationFailed):
        cs.spec_save(actor=operator, category_id=paper.pk, key="size", label="重复")
    with pytest.raises(ValidationFailed):
        cs.spec_save(actor=operator, category_id=paper.pk, key="colour", label="颜色", kind="choice")
    with pytest.raises(ValidationFailed):
        cs.spec_save(actor=operator, category_id=categories["office"].pk, key="k", label="父类不可")
    cs.spec_remove(actor=operator, spec_id=spec.pk)
    assert not AttributeSpec.objects.filter(pk=spec.pk).exists()
    with pytest.raises(NotFound):
        cs.spec_remove(actor=operator, spec_id=spec.pk)


def test_spec_in_use_cannot_be_removed_or_rekeyed(operator: Actor, supplier_org: Any, categories: Any) -> None:
    paper = categories["office-paper"]
    ListingFactory(supplier=supplier_org, category=paper, specs={"size": "A4", "weight_gsm": "70g", "sheets": "500"})
    size = AttributeSpec.objects.get(category=paper, key="size")
    with pytest.raises(ValidationFailed) as exc:
        cs.spec_remove(actor=operator, spec_id=size.pk)
    assert exc.value.code == "spec_in_use"
    with pytest.raises(ValidationFailed) as exc:
        cs.spec_save(
            actor=operator,
            category_id=paper.pk,
            spec_id=size.pk,
            key="format",
            label="规格",
            kind="choice",
            allowed_values=["A4"],
        )
    assert "key" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        cs.spec_save(
            actor=operator,
            category_id=paper.pk,
            spec_id=size.pk,
            key="size",
            label="规格",
            kind="choice",
            allowed_values=["A3"],
        )
    assert "allowed_values" in exc.value.fields
    # Making it optional is allowed.
    cs.spec_save(
        actor=operator,
        category_id=paper.pk,
        spec_id=size.pk,
        key="size",
        label="规格",
        kind="choice",
        allowed_values=["A4", "A3", "B5"],
        required=False,
        filterable=True,
    )
    size.refresh_from_db()
    assert not size.required


def test_banned_words(operator: Actor, supplier: Actor, categories: Any) -> None:
    word = cs.banned_word_add(actor=operator, word="史上最强")
    assert "史上最强" in selectors.banned_words()
    cs.banned_word_deactivate(actor=operator, word_id=word.pk)
    assert "史上最强" not in selectors.banned_words()
    assert cs.banned_word_add(actor=operator, word="史上最强").is_active
    with pytest.raises(ValidationFailed):
        cs.banned_word_add(actor=operator, word=" ")
    with pytest.raises(NotPermitted):
        cs.banned_word_add(actor=supplier, word="x")


def test_the_tree_has_two_levels(operator: Actor, categories: Any) -> None:
    printing, office = categories["printing"], categories["office"]
    with pytest.raises(ValidationFailed) as exc:  # a parent with subcategories stays at the top
        cs.category_update(
            actor=operator,
            category_id=printing.pk,
            code=printing.code,
            name=printing.name,
            parent_id=office.pk,
            catalogue_code="A02020000",
        )
    assert "parent" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:  # nothing goes under a subcategory
        cs.category_create(actor=operator, code="paper-a4", name="A4", parent_id=categories["office-paper"].pk)
    assert "parent" in exc.value.fields
    printing.refresh_from_db()
    assert printing.parent_id is None


def test_a_leaf_catalogue_code_lies_under_its_parents(operator: Actor, categories: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cs.category_create(
            actor=operator, code="office-tv", name="电视", parent_id=categories["office"].pk, catalogue_code="A02090000"
        )
    assert "A05040000" in str(exc.value.fields["catalogue_code"][0])
    ok = cs.category_create(
        actor=operator, code="office-notes", name="便签", parent_id=categories["office"].pk, catalogue_code="A05040100"
    )
    assert ok.catalogue_item.code == "A05040100"
    office = categories["office"]
    with pytest.raises(ValidationFailed) as exc:  # the parent's code must still cover its subcategories
        cs.category_update(
            actor=operator, category_id=office.pk, code=office.code, name=office.name, catalogue_code="A05010000"
        )
    assert "A05040101" in str(exc.value.fields["catalogue_code"][0])


def test_demo_mappings_nest_and_counts_are_whole_numbers(categories: Any) -> None:
    for category in categories.values():
        parent = category.parent
        if parent is not None and parent.catalogue_item and category.catalogue_item:
            assert category.catalogue_item.code.startswith(parent.catalogue_item.code.rstrip("0")), category.code
    assert categories["printing-toner"].catalogue_item is None  # the catalogue lacks the code: none invented
    assert categories["appliances-tv"].catalogue_item.code == "A02090000"
    units = {s.unit: s.integer for s in AttributeSpec.objects.filter(unit__in=["页", "张", "支"])}
    assert units == {"页": True, "张": True, "支": True}


def test_integer_flag(operator: Actor, categories: Any) -> None:
    paper = categories["office-paper"]
    with pytest.raises(ValidationFailed) as exc:
        cs.spec_save(actor=operator, category_id=paper.pk, key="colour", label="颜色", kind="text", integer=True)
    assert "integer" in exc.value.fields
    spec = cs.spec_save(actor=operator, category_id=paper.pk, key="packs", label="包数", kind="number")
    ListingFactory(category=paper, specs={"packs": "2.5"})
    with pytest.raises(ValidationFailed) as exc:
        cs.spec_save(
            actor=operator,
            category_id=paper.pk,
            spec_id=spec.pk,
            key="packs",
            label="包数",
            kind="number",
            integer=True,
        )
    assert "2.5" in str(exc.value.fields["integer"][0])


def test_spec_of_another_category_is_not_found(operator: Actor, categories: Any) -> None:
    spec = AttributeSpec.objects.filter(category=categories["office-paper"]).first()
    assert spec is not None
    with pytest.raises(NotFound):
        cs.spec_remove(actor=operator, spec_id=spec.pk, category_id=categories["office-pens"].pk)
    with pytest.raises(NotFound):
        cs.spec_move(actor=operator, spec_id=spec.pk, direction="down", category_id=categories["office-pens"].pk)
    assert AttributeSpec.objects.filter(pk=spec.pk).exists()
