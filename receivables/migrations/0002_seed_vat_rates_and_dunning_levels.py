from django.db import migrations

VAT_RATES = [
    ("23", "23.00", "23 %"),
    ("8", "8.00", "8 %"),
    ("5", "5.00", "5 %"),
    ("0", "0.00", "0 %"),
    ("zw", "0.00", "zw (exempt)"),
]

DUNNING_LEVELS = [
    (1, "Friendly reminder", 3, "email",
     "Dear Sirs,\n\nour records show the invoices below as unpaid after their due date. "
     "If you have paid them already, please ignore this reminder."),
    (2, "First demand", 14, "email",
     "Dear Sirs,\n\nthe invoices below are now two weeks overdue. Please pay them within "
     "7 days or tell us why they are held."),
    (3, "Final demand", 30, "letter",
     "Dear Sirs,\n\ndespite our reminders the invoices below remain unpaid. Unless they are "
     "paid within 7 days of this letter we will stop deliveries and pass the debt on."),
    (4, "Hand-over to legal", 60, "letter",
     "Dear Sirs,\n\nas the invoices below remain unpaid, we are handing the debt to our "
     "legal department for collection."),
]


def seed(apps, schema_editor):
    VatRate = apps.get_model("receivables", "VatRate")
    DunningLevel = apps.get_model("receivables", "DunningLevel")
    for code, percent, label in VAT_RATES:
        VatRate.objects.get_or_create(code=code, defaults={"percent": percent, "label": label})
    for rank, name, days, channel, text in DUNNING_LEVELS:
        DunningLevel.objects.get_or_create(
            rank=rank,
            defaults={"name": name, "days_after_due": days, "channel": channel, "letter_text": text},
        )


class Migration(migrations.Migration):
    dependencies = [("receivables", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
