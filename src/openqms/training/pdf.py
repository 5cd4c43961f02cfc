"""The individual training record as a PDF (ISO 13485 6.2 e: records of education,
training, skills and experience), made with fpdf2 and the DejaVu fonts as the controlled
copies of documents are. Every page names the person, when the record was generated (UTC)
and by whom, and page x of y; every completed training shows its signature manifestation
(21 CFR 11.50) with the content hash signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from fpdf import FPDF

from openqms.core.models import User
from openqms.core.signatures import Manifestation
from openqms.documents.pdf import font_dir
from openqms.training.export import PersonRecord

UTC = dt.UTC


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _utc(value: dt.datetime | None) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if value else "—"


def _signed(manifestations: Sequence[Manifestation]) -> str:
    lines = []
    for m in manifestations:
        status = "valid" if m.valid else f"BROKEN: {m.problem}"
        lines.append(
            f"{m.printed_name} — {m.meaning_label} — {_utc(m.signed_at)} — "
            f"version {m.object_version} — {status}\nContent SHA-256 {m.content_hash}"
        )
    return "\n".join(lines) or "—"


class _RecordPDF(FPDF):
    def __init__(self, record: PersonRecord, note: str) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.record, self.note = record, note
        fonts = font_dir()
        self.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
        self.add_font("DejaVu", "I", fonts / "DejaVuSans-Oblique.ttf")
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(14, 26, 14)

    def header(self) -> None:
        person = self.record.person
        self.set_y(9)
        self.set_font("DejaVu", "B", 11)
        self.cell(
            0,
            6,
            f"Training record — {person.full_name} ({person.username})",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_font("DejaVu", "", 8)
        manager = self.record.manager.full_name if self.record.manager else "—"
        self.cell(
            0,
            5,
            f"Department {self.record.department or '—'} · Manager {manager}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.line(14, 22, 283, 22)
        self.set_y(26)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 5, self.note, align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def section(self, title: str) -> None:
        if self.will_page_break(24):  # no heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_font("DejaVu", "B", 11)
        self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 8)

    def grid(self, widths: Sequence[int], heading: Sequence[str], rows: list[Sequence]) -> None:
        if not rows:
            self.cell(0, 5, "None.", new_x="LMARGIN", new_y="NEXT")
            return
        with self.table(
            col_widths=widths, text_align="LEFT", line_height=4, width=sum(widths), align="LEFT"
        ) as table:
            table.row(list(heading))
            for values in rows:
                table.row([str(v) for v in values])


def render_person_record(record: PersonRecord, *, generated_by: User) -> bytes:
    now = timezone.now()
    note = (
        f"Generated {_utc(now)} by {generated_by.full_name} — the current record is in "
        "OpenQMS; uncontrolled when printed"
    )
    pdf = _RecordPDF(record, note)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVu", "", 9)
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


def _assignments(pdf: _RecordPDF, record: PersonRecord) -> None:
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
                f"{_utc(a.completed_at)}\n{a.get_method_display()}" if a.completed_at else "—",
                _signed(entry.signatures),
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
                _utc(q.attempted_at),
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
                _utc(s.signed_at) if s.signed_at else "not yet signed",
            )
            for s in record.sessions
        ],
    )


def _evaluations(pdf: _RecordPDF, record: PersonRecord) -> None:
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
                _signed(e.signatures),
            )
            for e in record.evaluations
        ],
    )


def _competence(pdf: _RecordPDF, record: PersonRecord) -> None:
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
