"""The text of PDF and Word originals, for search: the column, its full-text index
(FTS5 with sync triggers on SQLite, a generated tsvector with GIN on PostgreSQL), and the
text of originals attached before this migration, read from the file store."""

from django.core.files.storage import default_storage
from django.db import migrations, models

from openqms.documents.originals import named, text_of
from openqms.documents.search import drop_originals_index, install_search_index


def read_existing(apps, schema_editor):
    Attachment = apps.get_model("documents", "Attachment")
    attachments = Attachment.objects.using(schema_editor.connection.alias).select_related(
        "stored_file"
    )
    for attachment in attachments.order_by("pk").iterator(chunk_size=200):
        path = f"sha256/{attachment.stored_file.sha256[:2]}/{attachment.stored_file.sha256}"
        if not named(attachment.name) or not default_storage.exists(path):
            continue  # not a PDF or Word file, or its bytes are missing (`openqms files verify`)
        with default_storage.open(path, "rb") as data:
            attachment.text = text_of(attachment.name, data.read())
        if attachment.text:
            attachment.save(update_fields=["text"])


def install(apps, schema_editor):
    install_search_index(schema_editor.connection)
    read_existing(apps, schema_editor)


def uninstall(apps, schema_editor):
    drop_originals_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("documents", "0014_reviewer_cannot_approve")]
    operations = [
        migrations.AddField(
            model_name="attachment",
            name="text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(install, uninstall),
    ]
