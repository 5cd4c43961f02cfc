import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from openqms.core.dates import months_later


def schedule_checks(apps, schema_editor):
    """A document never checked is due now; a checked one a year after its last check."""
    ExternalDocument = apps.get_model("documents", "ExternalDocument")
    today = timezone.localdate()
    for document in ExternalDocument.objects.all():
        last = document.last_checked
        document.check_due = months_later(last, 12) if last else today
        document.save(update_fields=["check_due"])


class Migration(migrations.Migration):
    """Legacy imports record who imported them and the paper approval they stand on;
    external documents get a currency-check interval, a due date and a reminder mark."""

    dependencies = [
        ("documents", "0014_reviewer_cannot_approve"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="legacy_approval_ref",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="externaldocument",
            name="check_interval_months",
            field=models.PositiveSmallIntegerField(default=12),
        ),
        migrations.AddField(
            model_name="externaldocument",
            name="check_due",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="externaldocument",
            name="reminded_for",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(schedule_checks, migrations.RunPython.noop),
    ]
