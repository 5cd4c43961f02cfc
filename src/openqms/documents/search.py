"""Full-text search over document numbers, titles and revision bodies.

SQLite: an FTS5 index of revision bodies, kept in step by triggers (migration 0006).
PostgreSQL: its own full-text search, on a stored tsvector column with a GIN index.
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
            "WHERE search_vector @@ websearch_to_tsquery('english', %s)"
        )
        return Revision.objects.filter(pk__in=RawSQL(sql, [q]))  # noqa: S611 - parameter
    query = _fts5_query(q)
    if not query:
        return Revision.objects.none()
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return Revision.objects.filter(pk__in=RawSQL(sql, [query]))  # noqa: S611 - parameter


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


# The SQLite index: FTS5 over revision bodies, kept in step by triggers.
_SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "body, content='documents_revision', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON documents_revision "
    f"BEGIN INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF body "
    f"ON documents_revision BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) "
    f"VALUES ('delete', old.id, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON documents_revision "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) "
    f"VALUES ('delete', old.id, old.body); END",
]
# PostgreSQL keeps each body's tsvector in a generated column (computed on write, so a
# search never re-parses 50,000 bodies) with a GIN index on it.
_POSTGRES_INDEX = [
    "DROP INDEX IF EXISTS documents_revision_body_fts",
    "ALTER TABLE documents_revision ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(body, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS documents_revision_search ON documents_revision "
    "USING gin (search_vector)",
]


def install_search_index(conn) -> None:
    """Create the index where it is missing; on SQLite, rebuild it if its triggers were
    gone (a table rebuild by a schema migration drops them, and the index went stale)."""
    with conn.cursor() as cursor:
        if conn.vendor != "sqlite":
            for sql in _POSTGRES_INDEX:
                cursor.execute(sql)
            return
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            f"AND name LIKE '{FTS_TABLE}_%'"
        )
        complete = cursor.fetchone()[0] == 3
        for sql in _SQLITE_INDEX:
            cursor.execute(sql)
        if not complete:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    install_search_index(connections[using])
