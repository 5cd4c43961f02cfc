"""Full-text search indexes: FTS5 with sync triggers on SQLite, GIN on PostgreSQL."""

from django.db import migrations

from openqms.documents.search import install_search_index


def create(apps, schema_editor):
    install_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_external_permission")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
