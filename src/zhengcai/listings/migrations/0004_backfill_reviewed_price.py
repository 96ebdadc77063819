from django.db import migrations
from django.db.models import F


def backfill_reviewed_price(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Listings written in bulk after 0003 (the generated demo) had no approved price, so
    step-wise rises were each compared with the previous step: their current price is the
    approved one (listed, or delisted after being listed)."""
    Listing = apps.get_model("listings", "Listing")
    Listing.objects.filter(reviewed_price__isnull=True, status__in=["listed", "delisted"]).update(
        reviewed_price=F("price")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0003_integer_spec_reviewed_price"),
    ]

    operations = [
        migrations.RunPython(backfill_reviewed_price, migrations.RunPython.noop),
    ]
