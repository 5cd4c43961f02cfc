from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_in_force(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Revision = apps.get_model("documents", "Revision")
    effective = Revision.objects.filter(document=OuterRef("pk"), state="effective")
    Document.objects.update(in_force=Exists(effective))


class Migration(migrations.Migration):
    """The revision in force, kept on the document row: an ordinary reader's list, page
    and search no longer evaluate visibility against every revision (issue 10)."""

    dependencies = [("documents", "0014_reviewer_cannot_approve")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="in_force",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_in_force, migrations.RunPython.noop),
    ]
