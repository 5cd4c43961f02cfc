"""What leaves the training pages: the matrix as CSV or XLSX, and one person's training
record (gathered once, shown on screen and printed as PDF).

A spreadsheet runs a cell that starts with = + - @ as a formula; names and titles are
typed by users, so such cells get a leading apostrophe (CSV and XLSX alike), by core's
`spreadsheet.safe`, which the audit trail's CSV uses too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook

from openqms.core.models import Signature, User
from openqms.core.signatures import Manifestation, check, object_type_of
from openqms.core.spreadsheet import safe
from openqms.training import matrix
from openqms.training.models import (
    Assignment,
    CompetenceRecord,
    Evaluation,
    Holding,
    QuizAttempt,
    TrainingSession,
)


def _column_name(column: matrix.Column) -> str:
    return f"{column.label} rev {column.revision}" if column.revision else column.label


def as_of_line(moment: dt.datetime | None = None) -> str:
    """“As of 29 Nov 2026 17:40 GMT (Europe/London)”: when the figures were read, in the
    instance's time zone, named."""
    local = timezone.localtime(moment or timezone.now())
    return f"As of {local:%d %b %Y %H:%M} {local.tzname()} ({timezone.get_current_timezone_name()})"


def header(m: matrix.Matrix) -> list[str]:
    cells = []
    for column in m.columns:
        name = _column_name(column)
        when = "due" if column.document_id else "expires / due"
        cells += [f"{name}: status", f"{name}: {when}", f"{name}: completed"]
    return ["Name", "Username", "Department", "% current", *cells]


def rows(m: matrix.Matrix) -> Iterator[list]:
    """One row per person: status words, the due (or expiry) date and the completion date
    of each requirement column."""
    for row in m.rows:
        cells: list = []
        for column in m.columns:
            cell = row.cells.get(column.key)
            cells += (
                [cell.label, cell.due, cell.completed]
                if cell
                else [matrix.STATUS_LABELS[""], None, None]
            )
        yield [row.full_name, row.username, row.department, row.percent, *cells]


class _Echo:
    def write(self, value: str) -> str:
        return value


def matrix_csv(m: matrix.Matrix) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([safe(v) for v in header(m)])
    for values in rows(m):
        yield writer.writerow(
            [
                "" if v is None else v.isoformat() if isinstance(v, dt.date) else safe(v)
                for v in values
            ]
        )


def matrix_xlsx(m: matrix.Matrix, moment: dt.datetime | None = None) -> bytes:
    """Sheets “Matrix” (people × requirements) and “By document” (completion per column),
    each opening with the line saying when the figures were read and what they mean."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Matrix")
    stamp = as_of_line(moment)
    sheet.append([stamp, matrix.DEFINITION])
    sheet.append([safe(v) for v in header(m)])
    for values in rows(m):
        sheet.append([safe(v) for v in values])
    by_document = book.create_sheet("By document")
    by_document.append([stamp, matrix.DEFINITION])
    by_document.append(["Requirement", "Title", "Revision", "Required", "Current", "% current"])
    stats = m.column_stats()
    for column in m.columns:
        required, current, percent = stats[column.key]
        by_document.append(
            [
                safe(column.label),
                safe(column.title),
                safe(column.revision),
                required,
                current,
                percent,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class AssignmentEntry:
    assignment: Assignment
    signatures: list[Manifestation]  # “trained” by the person, or “delivered” by the trainer


@dataclass
class EvaluationEntry:
    evaluation: Evaluation
    signatures: list[Manifestation]


@dataclass
class PersonRecord:
    """Everything of one person's training (ISO 13485 6.2 e: records of training)."""

    person: User
    department: str
    manager: User | None
    holdings: list[Holding]
    columns: list[matrix.Column]
    requirements: list[tuple[matrix.Column, matrix.Cell]]
    percent: float
    assignments: list[AssignmentEntry]
    attempts: list[QuizAttempt]
    sessions: list[TrainingSession]
    evaluations: list[EvaluationEntry]
    records: list[CompetenceRecord]


def _signatures(objects: list, meaning: str) -> dict[int, list[Manifestation]]:
    """The signatures of many records in one query, each checked against its record."""
    if not objects:
        return {}
    by_pk = {obj.pk: obj for obj in objects}
    found: dict[int, list[Manifestation]] = {}
    for sig in Signature.objects.filter(
        object_type=object_type_of(objects[0]),
        object_id__in=[str(pk) for pk in by_pk],
        meaning=meaning,
    ).select_related("audit_event"):
        obj = by_pk[int(sig.object_id)]
        found.setdefault(obj.pk, []).append(check(sig, obj))
    return found


def person_record(person: User) -> PersonRecord:
    employee = getattr(person, "employee", None)
    built = matrix.build(people=[person.pk])
    row = built.rows[0] if built.rows else None
    requirements = [(c, row.cells[c.key]) for c in built.columns] if row else []
    assignments = list(
        Assignment.objects.filter(person=person)
        .select_related("person", "document", "revision__document", "session__trainer")
        .order_by("-assigned_at", "-pk")
    )
    trained = _signatures(assignments, "trained")
    sessions = list(
        TrainingSession.objects.filter(attendees=person).select_related(
            "revision__document", "trainer"
        )
    )
    delivered = _signatures(sessions, "delivered")
    evaluations = list(
        Evaluation.objects.filter(person=person).select_related(
            "person", "assignment__revision__document", "job_role", "evaluator"
        )
    )
    evaluated = _signatures(evaluations, "evaluated")
    return PersonRecord(
        person=person,
        department=employee.department if employee else "",
        manager=employee.manager if employee else None,
        holdings=list(
            Holding.objects.filter(person=person)
            .select_related("job_role")
            .order_by("-started_on", "job_role__name")
        ),
        columns=built.columns,
        requirements=requirements,
        percent=row.percent if row else 100.0,
        assignments=[
            AssignmentEntry(a, trained.get(a.pk) or delivered.get(a.session_id or 0, []))
            for a in assignments
        ],
        attempts=list(
            QuizAttempt.objects.filter(assignment__person=person)
            .select_related("assignment__revision__document")
            .order_by("-attempted_at")
        ),
        sessions=sessions,
        evaluations=[EvaluationEntry(e, evaluated.get(e.pk, [])) for e in evaluations],
        records=list(
            CompetenceRecord.objects.filter(person=person)
            .select_related("competency", "recorded_by")
            .order_by(F("withdrawn_at").asc(nulls_first=True), "-obtained_on", "-pk")
        ),
    )
