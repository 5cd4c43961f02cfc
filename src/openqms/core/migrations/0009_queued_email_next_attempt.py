from django.db import migrations, models


class Migration(migrations.Migration):
    """A failed email is retried with back-off, never given up (core/mail.py)."""

    dependencies = [
        ("core", "0008_merge_email_claims_and_passwords"),
    ]

    operations = [
        migrations.AddField(
            model_name="queuedemail",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
