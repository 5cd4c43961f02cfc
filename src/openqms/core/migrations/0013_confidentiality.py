"""Health data (ISO 13485 4.2.5; GDPR art. 9): who may see patient details.

Only the QA lead role gets `core.health_data:read` by default: the QA/RA lead handles
complaints and vigilance, and must read the patient details to judge harm and whether a
report to the MHRA is due. Nobody else gets it unasked, auditors included (GDPR art. 5
(1)(c), data minimisation): an administrator grants it to a role that needs it."""

from django.db import migrations

HEALTH_DATA_READ = "core.health_data:read"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = sorted({*role.permissions, HEALTH_DATA_READ})
        role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = [p for p in role.permissions if p != HEALTH_DATA_READ]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_audit_reviews"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
