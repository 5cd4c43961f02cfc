"""Numbers people quote, `<CODE>-<year>-<nnnn>` (DC-2026-0007), the next after the
highest of the year in `rows`. Only a writer holding the audit chain's lock
(`audit.writing`; on SQLite an IMMEDIATE transaction) may ask, so two never get the
same number."""

from __future__ import annotations

from django.db.models import QuerySet


def next_in_year(rows: QuerySet, code: str, year: int, field: str = "number") -> str:
    prefix = f"{code}-{year}-"
    last = (
        rows.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"
