"""The scanner (A02021118) was shipped under the printer, which made the printer a group."""

from django.db import migrations


def reparent(apps, schema_editor):
    item_model = apps.get_model("catalogue", "CatalogueItem")
    office = item_model.objects.filter(code="A02020000").first()
    if office is not None:
        item_model.objects.filter(code="A02021118", parent__code="A02021000").update(parent=office)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_seed_defaults")]

    operations = [migrations.RunPython(reparent, migrations.RunPython.noop)]
