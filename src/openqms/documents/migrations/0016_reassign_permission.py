"""QA leads may take over others' drafts and change document owners (issue 10)."""

from django.db import migrations

REASSIGN = "documents.document:reassign"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = sorted({*role.permissions, REASSIGN})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0014_reviewer_cannot_approve")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
