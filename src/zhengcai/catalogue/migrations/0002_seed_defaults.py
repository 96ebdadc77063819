"""Load the shipped catalogue (top levels and common goods and services codes)."""

from django.db import migrations


def seed(apps, schema_editor):
    from zhengcai.catalogue.defaults import DEFAULT_CATALOGUE  # noqa: PLC0415 - plain data, no models

    item_model = apps.get_model("catalogue", "CatalogueItem")
    kinds = {"A": "goods", "B": "works", "C": "services"}
    existing = {item.code: item for item in item_model.objects.all()}
    for entry in DEFAULT_CATALOGUE:
        if entry.code in existing:
            continue
        existing[entry.code] = item_model.objects.create(
            code=entry.code,
            name=entry.name,
            parent=existing[entry.parent] if entry.parent else None,
            kind=kinds[entry.code[0]],
            in_mall=entry.in_mall,
            is_centralised=entry.centralised,
            unverified=entry.unverified,
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
