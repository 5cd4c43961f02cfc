"""Full-text search over document numbers, titles, revision bodies and the text of their
original files (PDF and Word, read when attached: documents/originals.py).

SQLite: FTS5 indexes of revision bodies and of originals' text, kept in step by triggers
(migrations 0006 and 0018). PostgreSQL: its own full-text search, on stored tsvector
columns with GIN indexes.
Numbers and titles match as plain substrings. Results are only what the person may see.
All SQL here is built from constants; the search words only ever travel as parameters.
"""

from __future__ import annotations

import re

from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from openqms.core.models import User
from openqms.documents.access import visible_documents, visible_revisions
from openqms.documents.models import Document, Revision

_WORD = re.compile(r"\w+", re.UNICODE)
FTS_TABLE = "documents_revision_fts"
ORIGINALS_FTS = "documents_attachment_fts"


def _fts5_query(q: str) -> str:
    """Every word, quoted (so no FTS5 syntax comes from the user), all required; the
    last one also as a prefix, so results appear while someone is still typing."""
    words = _WORD.findall(q)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _body_matches(q: str) -> QuerySet[Revision]:
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id FROM documents_revision "
            "WHERE search_vector @@ websearch_to_tsquery('english', %s) "
            "UNION SELECT revision_id FROM documents_attachment "
            "WHERE search_vector @@ websearch_to_tsquery('english', %s)"
        )
        return Revision.objects.filter(pk__in=RawSQL(sql, [q, q]))  # noqa: S611 - parameter
    query = _fts5_query(q)
    if not query:
        return Revision.objects.none()
    sql = (
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
        "UNION SELECT revision_id FROM documents_attachment WHERE id IN "
        f"(SELECT rowid FROM {ORIGINALS_FTS} WHERE {ORIGINALS_FTS} MATCH %s)"
    )
    return Revision.objects.filter(pk__in=RawSQL(sql, [query, query]))  # noqa: S611


def search_documents(user: User, q: str) -> QuerySet[Document]:
    q = q.strip()[:200]
    documents = visible_documents(user)
    if not q:
        return documents
    # The few documents whose visible revisions match, found once (not per document).
    in_body = visible_revisions(user).filter(pk__in=_body_matches(q).values("pk"))
    return documents.filter(
        Q(number__icontains=q) | Q(title__icontains=q) | Q(pk__in=in_body.values("document_id"))
    )


def _sqlite_index(table: str, column: str, content: str) -> list[str]:
    """FTS5 over `content`.`column`, an external-content index kept in step by triggers."""
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
        f"{column}, content='{content}', content_rowid='id', tokenize='unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_insert AFTER INSERT ON {content} "
        f"BEGIN INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_update AFTER UPDATE OF {column} "
        f"ON {content} BEGIN INSERT INTO {table}({table}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_delete AFTER DELETE ON {content} "
        f"BEGIN INSERT INTO {table}({table}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); END",
    ]


def _postgres_index(table: str, column: str) -> list[str]:
    """The column's tsvector in a generated column (computed on write, so a search never
    re-parses 50,000 bodies) with a GIN index on it."""
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE({column}, ''))) "
        "STORED",
        f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin (search_vector)",
    ]


# (table, column, SQLite index table): revision bodies; originals' text (migration 0018).
_INDEXED = [
    ("documents_revision", "body", FTS_TABLE),
    ("documents_attachment", "text", ORIGINALS_FTS),
]


def _has_column(conn, cursor, table: str, column: str) -> bool:
    """Whether the migrations so far made the column (0006 runs before attachments exist)."""
    if table not in conn.introspection.table_names(cursor):
        return False
    return column in {c.name for c in conn.introspection.get_table_description(cursor, table)}


def install_search_index(conn) -> None:
    """Create the indexes where they are missing; on SQLite, rebuild one whose triggers
    were gone (a table rebuild by a schema migration drops them, and the index went
    stale)."""
    with conn.cursor() as cursor:
        for table, column, fts in _INDEXED:
            if not _has_column(conn, cursor, table, column):
                continue
            if conn.vendor != "sqlite":
                if table == "documents_revision":
                    cursor.execute("DROP INDEX IF EXISTS documents_revision_body_fts")
                for sql in _postgres_index(table, column):
                    cursor.execute(sql)
                continue
            cursor.execute(
                f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{fts}_%'"
            )
            complete = cursor.fetchone()[0] == 3
            for sql in _sqlite_index(fts, column, table):
                cursor.execute(sql)
            if not complete:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_originals_index(conn) -> None:
    """Migration 0018 reversed: the originals' index goes before their text column."""
    with conn.cursor() as cursor:
        if conn.vendor != "sqlite":
            cursor.execute("DROP INDEX IF EXISTS documents_attachment_search")
            cursor.execute("ALTER TABLE documents_attachment DROP COLUMN IF EXISTS search_vector")
            return
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {ORIGINALS_FTS}_{event}")
        cursor.execute(f"DROP TABLE IF EXISTS {ORIGINALS_FTS}")


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    install_search_index(connections[using])
