"""Review fixes of issue 12: escalations are keyed by complaint and deadline (a decision
re-signed with the same deadline does not send them again; rows sent before are filled
from their decision), and the QA lead alone signs reportability decisions and complaint
closures (events.vigilance:decide, granted to the qa_lead role)."""

import django.db.models.deletion
from django.db import migrations, models

DECIDE = "events.vigilance:decide"


def forward(apps, schema_editor):
    Sent = apps.get_model("events", "EscalationSent")
    for row in Sent.objects.select_related("decision").filter(complaint__isnull=True):
        row.complaint_id = row.decision.complaint_id
        row.deadline_at = row.decision.deadline_at
        row.save(update_fields=["complaint", "deadline_at"])
    Role = apps.get_model("core", "Role")
    role = Role.objects.filter(code="qa_lead").first()
    if role is not None and DECIDE not in role.permissions:
        role.permissions = sorted({*role.permissions, DECIDE})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0011_open_record_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="escalationsent",
            name="events_escalation_once",
        ),
        migrations.AddField(
            model_name="escalationsent",
            name="complaint",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.complaint",
            ),
        ),
        migrations.AddField(
            model_name="escalationsent",
            name="deadline_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="escalationsent",
            constraint=models.UniqueConstraint(
                fields=("complaint", "deadline_at", "point"), name="events_escalation_once"
            ),
        ),
    ]
