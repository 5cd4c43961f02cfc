"""The seeded permission roles. Modules add their permissions to these in their own
migrations; administrators change them afterwards through the Roles page (audited)."""

from django.db import migrations

ROLES = [
    (
        "administrator",
        "Administrator",
        "Users, roles, configuration and backups.",
        ["core.user:manage", "core.role:manage", "core.audit:read"],
    ),
    (
        "qa_lead",
        "QA lead",
        "Owns the quality system: procedures, approvals, CAPA, audits.",
        ["core.audit:read"],
    ),
    ("author", "Author", "Writes controlled documents and records.", []),
    ("reviewer", "Reviewer", "Reviews documents and records before approval.", []),
    ("approver", "Approver", "Approves documents and records.", []),
    ("trainee", "Employee", "Reads and trains on procedures; raises issues.", []),
    (
        "auditor",
        "Auditor (read-only)",
        "Internal or approved-body auditor: reads everything, changes nothing.",
        ["core.audit:read"],
    ),
]


def seed(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, name, description, permissions in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "permissions": permissions},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_triggers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
