from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("team", "0002_user_reminder_delivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("pl", "Polski")],
                default="",
                help_text="Pages, e-mails and reminders are in this language.",
                max_length=10,
                verbose_name="language",
            ),
        ),
    ]
