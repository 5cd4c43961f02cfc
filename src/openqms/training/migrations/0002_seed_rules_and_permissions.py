"""A training rule for every document type (30 days, no gate, no effectiveness check,
changed afterwards on the training settings page), and training permissions on the
seeded roles (role changes are audited afterwards)."""

from django.db import migrations

READ, MANAGE = "training.matrix:read", "training.role:manage"
RECORDS, EVALUATE = "training.record:manage", "training.effectiveness:evaluate"
GRANTS = {
    "administrator": [MANAGE],
    "qa_lead": [READ, MANAGE, RECORDS, EVALUATE],
    "auditor": [READ],
}


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    TrainingRule = apps.get_model("training", "TrainingRule")
    for doc_type in DocumentType.objects.all():
        TrainingRule.objects.get_or_create(doc_type=doc_type)
    Role = apps.get_model("core", "Role")
    for code, extra in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(extra))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("documents", "0011_types_permission")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
