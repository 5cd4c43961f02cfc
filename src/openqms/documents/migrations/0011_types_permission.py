"""Administrators and QA leads configure document types."""

from django.db import migrations

TYPES = "documents.type:manage"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code__in=["administrator", "qa_lead"]):
        role.permissions = sorted({*role.permissions, TYPES})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_legacy_imports")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
