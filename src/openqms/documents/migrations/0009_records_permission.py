"""QA leads place legal holds and sign dispositions."""

from django.db import migrations

RECORDS = "documents.record:dispose"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = sorted({*role.permissions, RECORDS})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_records_control")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
