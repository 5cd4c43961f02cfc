"""QA leads keep the register of external documents."""

from django.db import migrations

EXTERNAL = "documents.external:manage"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = sorted({*role.permissions, EXTERNAL})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_external_documents")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
