"""Top management reads what an employee reads (walk finding 1): the documents in force
(the quality policy it approves, the quality manual), its own training, and the medical
device file exports, which all follow document reading. The seeded Employee role holds
only "documents.document:read" (documents 0002; training grants it nothing, a reader of
procedures takes part in training). Administrators change this afterwards (audited)."""

from django.db import migrations

EMPLOYEE_READS = ["documents.document:read"]


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    role = Role.objects.filter(code="management").first()
    if role is not None:
        role.permissions = sorted({*role.permissions, *EMPLOYEE_READS})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0005_merge_issue_11"),
        ("documents", "0002_seed_types_and_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
