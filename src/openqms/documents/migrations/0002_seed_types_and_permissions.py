"""Seeded document types, and document-control permissions on the seeded roles.
Administrators change both afterwards (role changes are audited)."""

from django.db import migrations

TYPES = [
    # code, name, prefix, review interval (months), needs a reviewer's signature
    ("quality_manual", "Quality manual", "QM", 12, True),
    ("quality_policy", "Quality policy", "POL", 12, True),
    ("procedure", "Procedure (SOP)", "SOP", 24, True),
    ("work_instruction", "Work instruction", "WI", 24, True),
    ("form", "Form or template", "FRM", 36, False),
    ("plan", "Plan", "PLN", 24, True),
    ("report", "Report", "RPT", 0, False),
    ("record", "Record", "REC", 0, False),
    ("external", "External document", "EXT", 12, False),
]
READ, READ_ALL = "documents.document:read", "documents.document:read_all"
CREATE, EDIT = "documents.document:create", "documents.revision:edit"
REVIEW, APPROVE = "documents.revision:review", "documents.revision:approve"
WITHDRAW = "documents.document:withdraw"
GRANTS = {
    "administrator": [READ],
    "qa_lead": [READ, READ_ALL, CREATE, EDIT, REVIEW, APPROVE, WITHDRAW],
    "author": [READ, CREATE, EDIT],
    "reviewer": [READ, REVIEW],
    "approver": [READ, REVIEW, APPROVE],
    "trainee": [READ],
    "auditor": [READ, READ_ALL],
}


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for code, name, prefix, months, needs_review in TYPES:
        DocumentType.objects.get_or_create(code=code, defaults={
            "name": name, "prefix": prefix, "review_interval_months": months,
            "needs_review": needs_review,
        })
    Role = apps.get_model("core", "Role")
    for code, extra in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(extra))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("core", "0003_seed_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
