"""Full-text search indexes: FTS5 with sync triggers on SQLite, GIN on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE documents_revision_fts USING fts5("
    "body, content='documents_revision', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER documents_revision_fts_insert AFTER INSERT ON documents_revision BEGIN "
    "INSERT INTO documents_revision_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER documents_revision_fts_update AFTER UPDATE OF body ON documents_revision "
    "BEGIN INSERT INTO documents_revision_fts(documents_revision_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); "
    "INSERT INTO documents_revision_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER documents_revision_fts_delete AFTER DELETE ON documents_revision BEGIN "
    "INSERT INTO documents_revision_fts(documents_revision_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); END",
    "INSERT INTO documents_revision_fts(documents_revision_fts) VALUES ('rebuild')",
]
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS documents_revision_body_fts ON documents_revision "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))",
]


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}[schema_editor.connection.vendor]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_external_permission")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
