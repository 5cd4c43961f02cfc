"""Full-text search over document numbers, titles and revision bodies.

SQLite: an FTS5 index of revision bodies, kept in step by triggers (migration 0006).
PostgreSQL: its own full-text search, on a GIN index of each body's English tsvector.
Numbers and titles match as plain substrings. Results are only what the person may see.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
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
        return Revision.objects.annotate(search=SearchVector("body", config="english")).filter(
            search=SearchQuery(q, config="english", search_type="websearch")
        )
    query = _fts5_query(q)
    if not query:
        return Revision.objects.none()
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return Revision.objects.filter(pk__in=RawSQL(sql, [query]))  # noqa: S611 - parameter


def search_documents(user: User, q: str) -> QuerySet[Document]:
    q = q.strip()[:200]
    documents = visible_documents(user)
    if not q:
        return documents
    in_body = visible_revisions(user).filter(pk__in=_body_matches(q).values("pk"))
    return documents.filter(
        Q(number__icontains=q) | Q(title__icontains=q) | Q(revisions__in=in_body)
    ).distinct()
