"""The training matrix: people × requirements, with each cell's status.

Built in a fixed number of queries whatever the size (a handful of flat `values()`
reads, then dictionaries), so the page and the export cost the same per person at 20 or
2,000 people. `as_of` rebuilds the matrix on a past day from the dated history
(holdings, requirements, effective dates, completions) for the compliance chart.

A person is *current* on a document when they completed training on its current
revision, or on a later one than the last revision that needed retraining: a training
on revision A does not count for revision B unless B's approver decided that B needed
no retraining.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from openqms.core.models import User
from openqms.documents.models import Revision, RevisionState
from openqms.qms.models import Process
from openqms.training.models import (
    Assignment,
    AssignmentState,
    CompetenceRecord,
    Competency,
    Holding,
    Requirement,
    RequirementKind,
    TrainingRule,
    percent_current,
)

CURRENT, DUE, OVERDUE, EXPIRED, NOT_REQUIRED = "current", "due", "overdue", "expired", ""
FEW_DOCUMENTS = 50
# What “% current” means on every page, chart and export (percent_current computes it).
DEFINITION = (
    "% current = requirements current ÷ requirements. A requirement is one document in "
    "force or one competency that a job role held by an active person asks of them; it "
    "is current when they completed training on the revision that counts (the one in force, "
    "or a later one than the last revision that needed retraining), or hold the competence "
    "and it has not expired."
)
STATUS_LABELS = {
    CURRENT: "Current",
    DUE: "Due",
    OVERDUE: "Overdue",
    EXPIRED: "Expired",
    NOT_REQUIRED: "Not required",
}


@dataclass(frozen=True)
class Column:
    key: str  # "d<document id>" or "c<competency id>"
    label: str  # document number or competency name
    title: str
    revision: str = ""  # the current revision's label (documents)
    document_id: int | None = None
    competency_id: int | None = None


@dataclass(frozen=True)
class Cell:
    status: str
    due: dt.date | None = None  # due date of open training, or expiry of a competence
    completed: dt.date | None = None  # the day the training that counts was completed

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Row:
    person_id: int
    username: str
    full_name: str
    department: str
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def required(self) -> int:
        return len(self.cells)

    @property
    def current(self) -> int:
        return sum(1 for c in self.cells.values() if c.status == CURRENT)

    @property
    def percent(self) -> float:
        return percent_current(self.current, self.required)


@dataclass
class Matrix:
    day: dt.date
    columns: list[Column]
    rows: list[Row]

    def column_stats(self) -> dict[str, tuple[int, int, float]]:
        """Per column: (required, current, percent)."""
        required: dict[str, int] = defaultdict(int)
        current: dict[str, int] = defaultdict(int)
        for row in self.rows:
            for key, cell in row.cells.items():
                required[key] += 1
                current[key] += cell.status == CURRENT
        return {
            c.key: (
                required[c.key],
                current[c.key],
                percent_current(current[c.key], required[c.key]),
            )
            for c in self.columns
        }

    def totals(self) -> dict[str, int]:
        counts = {CURRENT: 0, DUE: 0, OVERDUE: 0, EXPIRED: 0}
        for row in self.rows:
            for cell in row.cells.values():
                counts[cell.status] += 1
        counts["required"] = sum(counts.values())
        return counts

    def percent(self) -> float:
        """% current of everyone in this matrix (DEFINITION)."""
        totals = self.totals()
        return percent_current(totals[CURRENT], totals["required"])


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def effective_revisions(moment: dt.datetime | None) -> list[dict]:
    """The revision in force of every document, now or at `moment`."""
    fields = (
        "id",
        "document_id",
        "label",
        "sequence",
        "document__number",
        "document__title",
        "document__doc_type_id",
        "document__clauses",
    )
    if moment is None:
        revisions = Revision.objects.filter(state=RevisionState.EFFECTIVE)
    else:
        revisions = Revision.objects.filter(became_effective_at__lte=moment).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment)
        )
    return list(revisions.values(*fields))


def _documents_by_process(process_ids: set[int], by_document: dict) -> dict[int, list[int]]:
    """The documents in force serving each process (one query, whatever the count)."""
    found: dict[int, list[int]] = defaultdict(list)
    if not process_ids:
        return found
    links = Process.documents.through.objects.filter(process_id__in=process_ids)
    for process_id, document_id in links.order_by("document_id").values_list(
        "process_id", "document_id"
    ):
        if document_id in by_document:
            found[process_id].append(document_id)
    return found


def baselines(moment: dt.datetime | None, document_ids=None) -> dict[int, int]:
    """Per document, the sequence of the latest revision in force that needed retraining:
    training on it or anything later counts."""
    revisions = Revision.objects.filter(became_effective_at__isnull=False, retraining_needed=True)
    if moment is not None:
        revisions = revisions.filter(became_effective_at__lte=moment)
    if document_ids is not None:
        revisions = revisions.filter(document_id__in=document_ids)
    return dict(
        revisions.values("document_id").annotate(m=Max("sequence")).values_list("document_id", "m")
    )


def build(
    *,
    people: list[int] | None = None,
    job_role: int | None = None,
    department: str = "",
    document: int | None = None,
    as_of: dt.date | None = None,
) -> Matrix:
    """The matrix for everyone (or the people, job role, department, document given)."""
    today = as_of or timezone.localdate()
    moment = _end_of(as_of) if as_of else None
    # Who holds which job role (active people only: a deactivated account trains no more).
    holdings = Holding.objects.filter(started_on__lte=today, person__is_active=True).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    if job_role:
        holdings = holdings.filter(job_role_id=job_role)
    if department:
        holdings = holdings.filter(person__employee__department=department)
    if people is not None:
        holdings = holdings.filter(person_id__in=people)
    held = list(
        holdings.order_by().values_list(
            "person_id",
            "job_role_id",
            "person__username",
            "person__full_name",
            "person__employee__department",
        )
    )
    roles_of: dict[int, set[int]] = defaultdict(set)
    rows: dict[int, Row] = {}
    for person_id, role_id, username, full_name, dept in held:
        roles_of[person_id].add(role_id)
        rows.setdefault(person_id, Row(person_id, username, full_name, dept or ""))

    requirements = Requirement.objects.filter(job_role_id__in={r for _, r, *_ in held})
    if moment is None:
        requirements = requirements.filter(removed_at__isnull=True)
    else:
        requirements = requirements.filter(added_at__lte=moment).filter(
            Q(removed_at__isnull=True) | Q(removed_at__gt=moment)
        )
    reqs = list(
        requirements.values_list(
            "job_role_id",
            "kind",
            "document_id",
            "doc_type_id",
            "clause",
            "process_id",
            "competency_id",
        )
    )

    in_force = effective_revisions(moment)
    by_document = {r["document_id"]: r for r in in_force}
    by_type: dict[int, list[int]] = defaultdict(list)
    by_clause: dict[str, list[int]] = defaultdict(list)
    for r in in_force:
        by_type[r["document__doc_type_id"]].append(r["document_id"])
        for clause in r["document__clauses"] or []:
            by_clause[clause].append(r["document_id"])
    by_process = _documents_by_process({r[5] for r in reqs if r[5]}, by_document)

    # Per job role: its cells' keys, each with its document id or competency id.
    keys_of_role: dict[int, dict[str, tuple[int | None, int | None]]] = defaultdict(dict)
    competency_ids: set[int] = set()
    for role_id, kind, doc_id, type_id, clause, process_id, comp_id in reqs:
        if kind == RequirementKind.DOCUMENT:
            documents = [doc_id] if doc_id in by_document else []
        elif kind == RequirementKind.DOC_TYPE:
            documents = by_type.get(type_id, [])
        elif kind == RequirementKind.CLAUSE:
            documents = by_clause.get(clause, [])
        elif kind == RequirementKind.PROCESS:
            documents = by_process.get(process_id, [])
        else:
            keys_of_role[role_id][f"c{comp_id}"] = (None, comp_id)
            competency_ids.add(comp_id)
            continue
        if document is not None:
            documents = [d for d in documents if d == document]
        keys_of_role[role_id].update((f"d{d}", (d, None)) for d in documents)
    if document is not None:
        for role_id, keys in keys_of_role.items():
            keys_of_role[role_id] = {k: v for k, v in keys.items() if k.startswith("d")}

    wanted_documents = {
        d for keys in keys_of_role.values() for d, _ in keys.values() if d is not None
    }
    done, open_ = _assignments(moment, people, wanted_documents, by_document)
    valid, expired = _competence(today, people, competency_ids)

    # Cells are frozen, so equal ones are shared: one object per (status, date), not one
    # per cell (a full matrix has hundreds of thousands of cells).
    cells: dict[tuple[str, dt.date | None, dt.date | None], Cell] = {}

    def cell(status: str, due: dt.date | None = None, completed: dt.date | None = None) -> Cell:
        found = cells.get((status, due, completed))
        if found is None:
            found = cells[(status, due, completed)] = Cell(status, due, completed)
        return found

    # Each combination of job roles is resolved once into (key, (document id or None,
    # competency id or None)) pairs.
    plans: dict[frozenset[int], list] = {}
    nothing: dict = {}
    for person_id, row in rows.items():
        roles = frozenset(roles_of[person_id])
        plan = plans.get(roles)
        if plan is None:
            merged: dict[str, tuple[int | None, int | None]] = {}
            for role_id in roles:
                merged.update(keys_of_role.get(role_id, nothing))
            plan = plans[roles] = list(merged.items())
        trained = done.get(person_id, nothing)
        pending = open_.get(person_id, nothing)
        for key, (doc_id, comp_id) in plan:
            if doc_id is not None:
                if doc_id in trained:
                    row.cells[key] = cell(CURRENT, None, trained[doc_id])
                    continue
                due = pending.get(doc_id)
                status = OVERDUE if due is not None and due < today else DUE
                row.cells[key] = cell(status, due)
            else:
                row.cells[key] = _competency_cell((person_id, comp_id), valid, expired, today)
    columns = _columns({k for row in rows.values() for k in row.cells}, by_document)
    return Matrix(today, columns, sorted(rows.values(), key=lambda r: (r.full_name, r.username)))


def _assignments(moment, people, documents, by_document):
    """Per person: the documents they are current on (a completed training on a revision
    at or after the document's baseline) with the day of the latest such training, and
    the earliest due date of open training.

    Completed rows are read as bare (person, revision) pairs and judged against the
    revisions' sequences in Python: no join and no GROUP BY over the assignment table."""
    completed = Assignment.objects.filter(state=AssignmentState.COMPLETED)
    pending = Assignment.objects.filter(state=AssignmentState.OPEN)
    if moment is not None:
        # Training later found not effective counted until that evaluation closed it.
        completed = Assignment.objects.filter(completed_at__lte=moment).filter(
            Q(state=AssignmentState.COMPLETED)
            | Q(state=AssignmentState.INEFFECTIVE, closed_at__gt=moment)
        )
        pending = Assignment.objects.filter(assigned_at__lte=moment).filter(
            Q(completed_at__isnull=True) | Q(completed_at__gt=moment),
            Q(closed_at__isnull=True) | Q(closed_at__gt=moment),
        )
    if people is not None:
        completed, pending = (
            completed.filter(person_id__in=people),
            pending.filter(person_id__in=people),
        )
    # A short list of documents narrows the read through the (document, state) index; a
    # long one costs an index probe per document and row, more than reading every row
    # (rows of other documents are simply not looked up below).
    if len(documents) <= FEW_DOCUMENTS:
        completed = completed.filter(document_id__in=documents)
        pending = pending.filter(document_id__in=documents)
    # No ORDER BY: the model's ordering would sort every row for nothing.
    completed, pending = completed.order_by(), pending.order_by()
    # The revisions a completed training counts for: at or after the baseline, as
    # baselines() has it (read here with the revisions' sequences, in the same query).
    revisions = list(
        Revision.objects.filter(document_id__in=documents)
        .order_by()
        .values_list("pk", "document_id", "sequence", "became_effective_at", "retraining_needed")
    )
    base: dict[int, int] = {}
    for _, doc_id, seq, effective_at, retraining in revisions:
        if (
            retraining
            and effective_at is not None
            and (moment is None or effective_at <= moment)
            and seq > base.get(doc_id, 0)
        ):
            base[doc_id] = seq
    counting = {}
    for pk, doc_id, seq, _, _ in revisions:
        if doc_id in by_document and seq >= base.get(doc_id, by_document[doc_id]["sequence"]):
            counting[pk] = doc_id
    latest: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for p, revision_id, at in completed.values_list("person_id", "revision_id", "completed_at"):
        doc_id = counting.get(revision_id)
        if doc_id is not None:
            mine_done = latest[p]
            if doc_id not in mine_done or (at is not None and at > (mine_done[doc_id] or at)):
                mine_done[doc_id] = at
    # Days in the instance's time zone; a day's conversion is done once for all its rows.
    days: dict[dt.datetime, dt.date] = {}

    def day_of(at: dt.datetime | None) -> dt.date | None:
        if at is None:
            return None
        found = days.get(at)
        if found is None:
            found = days[at] = timezone.localdate(at)
        return found

    done = {p: {d: day_of(at) for d, at in mine.items()} for p, mine in latest.items()}
    open_: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for p, d, due in pending.values_list("person_id", "document_id", "due_date"):
        mine = open_[p]
        if d not in mine or due < mine[d]:
            mine[d] = due
    return done, open_


def _competence(today, people, competency_ids):
    """Per (person, competency): until when it is valid (None: no expiry) and the day the
    valid competence was obtained, for those valid today; and, for those held but expired,
    the day the last one expired."""
    records = CompetenceRecord.objects.filter(
        withdrawn_at__isnull=True, competency_id__in=competency_ids
    ).filter(Q(obtained_on__isnull=True) | Q(obtained_on__lte=today))
    if people is not None:
        records = records.filter(person_id__in=people)
    valid: dict[tuple[int, int], tuple[dt.date | None, dt.date | None]] = {}
    expired: dict[tuple[int, int], dt.date] = {}
    for person_id, comp_id, obtained, expires in records.order_by().values_list(
        "person_id", "competency_id", "obtained_on", "expires_on"
    ):
        key = (person_id, comp_id)
        if expires is not None and expires < today:
            expired[key] = max(expires, expired.get(key, expires))
            continue
        until, since = valid.get(key, (expires, obtained))
        if key in valid:
            until = None if until is None or expires is None else max(until, expires)
            since = max((d for d in (since, obtained) if d is not None), default=None)
        valid[key] = (until, since)
    return valid, expired


def _competency_cell(key, valid, expired, today) -> Cell:
    """Current with its expiry (due) and the day obtained (completed); expired with the
    day it expired; due with no date (a competence has no due date of its own)."""
    if key in valid:
        until, since = valid[key]
        return Cell(CURRENT, until, since)
    if key in expired:
        return Cell(EXPIRED, expired[key])
    return Cell(DUE)


def _columns(keys: set[str], by_document: dict[int, dict]) -> list[Column]:
    documents = sorted(
        (by_document[int(k[1:])] for k in keys if k[0] == "d"),
        key=lambda r: r["document__number"],
    )
    columns = [
        Column(
            key=f"d{r['document_id']}",
            label=r["document__number"],
            title=r["document__title"],
            revision=r["label"],
            document_id=r["document_id"],
        )
        for r in documents
    ]
    comp_ids = [int(k[1:]) for k in keys if k[0] == "c"]
    for comp in Competency.objects.filter(pk__in=comp_ids).order_by("name"):
        columns.append(
            Column(
                key=f"c{comp.pk}",
                label=comp.name,
                title=comp.get_kind_display(),
                competency_id=comp.pk,
            )
        )
    return columns


def is_trained(person: User, document_id: int) -> tuple[bool, Revision | None]:
    """Is `person` current on the document's revision in force? (The signing gate.)"""
    current = (
        Revision.objects.filter(document_id=document_id, state=RevisionState.EFFECTIVE)
        .select_related("document")
        .first()
    )
    if current is None:
        return True, None
    baseline = baselines(None, [document_id]).get(document_id, current.sequence)
    trained = Assignment.objects.filter(
        person=person,
        document_id=document_id,
        state=AssignmentState.COMPLETED,
        revision__sequence__gte=baseline,
    ).exists()
    return trained, current


def untrained_on(signer: User, document_ids: Collection[int]) -> dict[int, Revision]:
    """Of `document_ids`, those whose type's gate is on and whose revision in force
    `signer` is not trained on, each with that revision (as matrix.is_trained judges:
    a completed training on it, or on a later one than the last needing retraining)."""
    if not document_ids:
        return {}
    gated = set(
        TrainingRule.objects.filter(gate=True, doc_type__documents__in=document_ids).values_list(
            "doc_type__documents", flat=True
        )
    )
    if not gated:
        return {}
    current = {
        r.document_id: r
        for r in Revision.objects.filter(
            document_id__in=gated, state=RevisionState.EFFECTIVE
        ).select_related("document")
    }
    if not current:
        return {}
    base = baselines(None, list(current))
    done: dict[int, int] = {}
    for document_id, sequence in Assignment.objects.filter(
        person=signer, document_id__in=list(current), state=AssignmentState.COMPLETED
    ).values_list("document_id", "revision__sequence"):
        done[document_id] = max(done.get(document_id, 0), sequence)
    return {
        document_id: revision
        for document_id, revision in current.items()
        if done.get(document_id, 0) < base.get(document_id, revision.sequence)
    }
