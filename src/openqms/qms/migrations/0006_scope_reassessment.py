"""The approved body's reassessment, recorded as a step after a "reassessment required"
answer; "reassessment done" is no longer a first answer."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("qms", "0005_merge_issue_11")]

    operations = [
        migrations.AlterField(
            model_name="scopenotification",
            name="answer",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_reassessment", "no reassessment needed"),
                    ("required", "reassessment required"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="scopenotification",
            name="state",
            field=models.CharField(
                choices=[
                    ("to_notify", "to notify"),
                    ("sent", "sent, answer pending"),
                    ("answered", "answered"),
                    ("reassessed", "reassessed"),
                ],
                default="to_notify",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="scopenotification",
            name="reassessed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="scopenotification",
            name="reassessment",
            field=models.TextField(blank=True),
        ),
    ]
