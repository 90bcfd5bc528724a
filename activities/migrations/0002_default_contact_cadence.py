from django.db import migrations

# The defaults the product ships with; admins change them under Admin › Contact cadences.
DEFAULT_CADENCE = {"A": 14, "B": 30, "C": 90}


def create_defaults(apps, schema_editor):
    ContactCadence = apps.get_model("activities", "ContactCadence")
    for tier, days in DEFAULT_CADENCE.items():
        ContactCadence.objects.get_or_create(tier=tier, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
