from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0002_qualification_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="supplierprofile",
            name="suspended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="suspended at"),
        ),
        migrations.AddField(
            model_name="supplierprofile",
            name="reinstatement_requested_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reinstatement requested at"),
        ),
    ]
