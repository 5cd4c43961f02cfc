"""Sensible defaults on a fresh install, and who may give a session.

- A fresh install (no document yet) gates procedures and work instructions: whoever is
  not trained on the revision in force cannot sign as its performer or approver, and each
  completed training on them waits for an effectiveness check (ISO 13485 6.2 d). An
  instance upgraded with documents keeps the rules its quality team chose (changed on
  the training rules page, audited with a reason).
- A classroom session keeps why the record keeper named a trainer not trained on the
  revision (a new procedure's first session)."""

from django.db import migrations, models

GATED = ("procedure", "work_instruction")


def fresh_install_defaults(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    TrainingRule = apps.get_model("training", "TrainingRule")
    DocumentType = apps.get_model("documents", "DocumentType")
    if Document.objects.exists():
        return
    for doc_type in DocumentType.objects.filter(code__in=GATED):
        TrainingRule.objects.update_or_create(
            doc_type=doc_type, defaults={"gate": True, "effectiveness_check": True}
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_seed_rules_and_permissions")]
    operations = [
        migrations.AddField(
            model_name="trainingsession",
            name="trainer_reason",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fresh_install_defaults, migrations.RunPython.noop),
    ]
