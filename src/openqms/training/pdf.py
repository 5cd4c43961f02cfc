"""The individual training record as a PDF (ISO 13485 6.2 e: records of education,
training, skills and experience), made with core's PDF kit as the controlled copies of
documents are. Every page names the person, when the record was generated (UTC)
and by whom, and page x of y; every completed training shows its signature manifestation
(21 CFR 11.50) with the content hash signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial

from django.utils import timezone

from openqms.core.models import User
from openqms.core.pdf import FONT, ControlledPDF, generated_note, local_time, signed_text
from openqms.training.export import PersonRecord, person_record


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def render_person_record(record: PersonRecord, *, generated_by: User) -> bytes:
    person = record.person
    manager = record.manager.full_name if record.manager else "—"
    pdf = ControlledPDF(
        title=f"Training record — {person.full_name} ({person.username})",
        subtitle=f"Department {record.department or '—'} · Manager {manager}",
        note=generated_note(generated_by),
        landscape=True,
        margin=14,
    )
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    pdf.cell(
        0,
        5,
        f"{record.percent}% of current requirements met on {timezone.localdate()}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.section("Job roles")
    pdf.grid(
        (110, 50, 50, 59),
        ("Job role", "From", "Until", "Ended because"),
        [
            (h.job_role.name, _day(h.started_on), _day(h.ended_on), h.end_reason or "")
            for h in record.holdings
        ],
    )
    pdf.section("Requirements and status")
    pdf.grid(
        (40, 130, 30, 35, 34),
        ("Requirement", "Title", "Revision", "Status", "Due / expires"),
        [
            (c.label, c.title, c.revision or "—", cell.label, _day(cell.due))
            for c, cell in record.requirements
        ],
    )
    _assignments(pdf, record)
    _evaluations(pdf, record)
    _competence(pdf, record)
    return bytes(pdf.output())


def _assignments(pdf: ControlledPDF, record: PersonRecord) -> None:
    pdf.section("Training assigned and completed")
    pdf.grid(
        (28, 12, 48, 22, 20, 24, 30, 85),
        ("Document", "Rev.", "Reason", "Assigned", "Due", "State", "Completed", "Signature"),
        [
            (
                a.document.number,
                a.revision.label,
                a.reason,
                _day(timezone.localdate(a.assigned_at)),
                _day(a.due_date),
                a.get_state_display(),
                f"{local_time(a.completed_at)}\n{a.get_method_display()}"
                if a.completed_at
                else "—",
                signed_text(entry.signatures),
            )
            for entry in record.assignments
            for a in [entry.assignment]
        ],
    )
    pdf.section("Quiz attempts")
    pdf.grid(
        (60, 30, 40, 40, 99),
        ("Document", "Revision", "Score", "Result", "When"),
        [
            (
                q.assignment.revision.document.number,
                q.assignment.revision.label,
                f"{q.score} of {len(q.questions)} (pass {q.pass_mark})",
                "passed" if q.passed else "failed",
                local_time(q.attempted_at),
            )
            for q in record.attempts
        ],
    )
    pdf.section("Classroom sessions attended")
    pdf.grid(
        (50, 30, 60, 129),
        ("Document", "Revision", "Held on · trainer", "Signed by the trainer"),
        [
            (
                s.revision.document.number,
                s.revision.label,
                f"{_day(s.held_on)} · {s.trainer.full_name}",
                local_time(s.signed_at) if s.signed_at else "not yet signed",
            )
            for s in record.sessions
        ],
    )


def _evaluations(pdf: ControlledPDF, record: PersonRecord) -> None:
    pdf.section("Effectiveness of training (ISO 13485 6.2 d)")
    pdf.grid(
        (45, 45, 35, 54, 90),
        ("Subject", "Method", "Result", "Comment", "Signature"),
        [
            (
                e.evaluation.signature_content()["subject"],
                e.evaluation.method,
                e.evaluation.get_result_display(),
                e.evaluation.comment,
                signed_text(e.signatures),
            )
            for e in record.evaluations
        ],
    )


def _competence(pdf: ControlledPDF, record: PersonRecord) -> None:
    pdf.section("Competence records")
    pdf.grid(
        (30, 70, 50, 25, 25, 69),
        ("Kind", "Title", "Issuer", "Obtained", "Expires", "File · status"),
        [
            (
                r.get_kind_display(),
                f"{r.title} ({r.competency.name})" if r.competency else r.title,
                r.issuer,
                _day(r.obtained_on),
                _day(r.expires_on),
                " · ".join(
                    part
                    for part in (
                        r.file_name,
                        f"withdrawn {_day(timezone.localdate(r.withdrawn_at))}: {r.withdraw_reason}"
                        if r.withdrawn_at
                        else "",
                    )
                    if part
                ),
            )
            for r in record.records
        ],
    )


def _archived_record(person: User) -> bytes:
    # The archive is generated by the export, not by a person: an unsaved stand-in names
    # it on every page's "Generated … by …" line.
    export = User(username="openqms-archive", full_name="openqms archive export")
    return render_person_record(person_record(person), generated_by=export)


def archive_renderings() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every person's training record as a PDF (`openqms archive export`,
    Module.renderings); read in keyset batches."""
    last = 0
    while batch := list(User.objects.filter(pk__gt=last).order_by("pk")[:200]):
        for person in batch:
            yield f"training/{person.username}.pdf", partial(_archived_record, person)
        last = batch[-1].pk
