"""Editing the clause-coverage map: a clause's title, whether it applies (and why not,
ISO 13485 4.2.2 a), notes, the records that evidence it, and the processes that address
it (4.1.2). Documents are tagged with clauses on the document itself, not here."""

from __future__ import annotations

from collections.abc import Iterable

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.qms.models import Clause, Process
from openqms.qms.registry import CLAUSES

MAX_RECORDS = 50


def _records(items: Iterable[str]) -> list[str]:
    cleaned = [clean_text(item, "records", required=False) for item in items]
    kept = [item for item in cleaned if item]
    if len(kept) > MAX_RECORDS:
        raise InvalidInput(
            f"List at most {MAX_RECORDS} records for one clause.",
            fields={"records": f"At most {MAX_RECORDS}."},
        )
    return list(dict.fromkeys(kept))  # each once, in the order given


@audit.writing()
def edit_clause(
    *,
    actor: User,
    clause: Clause,
    title: str,
    applicable: bool,
    justification: str,
    notes: str,
    records: Iterable[str],
    processes: Iterable[Process],
) -> Clause:
    """Save what the map says of one clause; the event keeps old and new values. A clause
    marked not applicable without a justification is allowed (a draft of the map) but
    shows on the gap report until it has one."""
    require(actor, CLAUSES)
    title = clean_text(title, "title")
    justification = clean_text(justification, "justification", required=False, limit=2000)
    notes = clean_text(notes, "notes", required=False, limit=5000)
    kept = _records(records)
    chosen = list(processes)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    mapped = set(clause.processes.values_list("pk", flat=True))
    if any(p.retired and p.pk not in mapped for p in chosen):
        raise InvalidInput(
            "A retired process cannot be mapped to a clause.",
            fields={"processes": "Retired process."},
        )
    before = _values(clause, Process.objects.filter(pk__in=mapped))
    clause.title, clause.applicable = title, applicable
    clause.justification, clause.notes, clause.records = justification, notes, kept
    changes = audit.diff(before, _values(clause, chosen))
    if not changes:
        return clause  # nothing to record
    clause.save()
    clause.processes.set(chosen)
    audit.record(actor=actor, action="qms.clause.edited", obj=clause, changes=changes)
    return clause


def _values(clause: Clause, processes: Iterable[Process]) -> dict:
    return {
        "title": clause.title,
        "applicable": clause.applicable,
        "justification": clause.justification,
        "notes": clause.notes,
        "records": clause.records,
        "processes": sorted(p.code for p in processes),
    }
