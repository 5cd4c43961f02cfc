from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_merge_email_claims_and_passwords"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="attempt_claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
