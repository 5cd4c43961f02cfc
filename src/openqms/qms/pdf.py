"""The gap report as a PDF (core's PDF kit, as documents' and training's PDFs): the same
counts and lists as the page, dated and naming who generated it."""

from __future__ import annotations

import openqms
from openqms.core.models import User
from openqms.core.pdf import FONT, ControlledPDF, generated_note
from openqms.qms.data.clauses import STANDARD
from openqms.qms.gaps import GapReport


class _ReportPDF(ControlledPDF):
    """The controlled PDF with a footer note that wraps instead of running off the page
    (a demo's note, "DEMO INSTANCE — … uncontrolled when printed", is wider than A4)."""

    def footer(self) -> None:
        self.set_y(-20)
        self.set_font(FONT, "", 7)
        self.multi_cell(0, 3.5, self.note, align="L", new_x="LMARGIN", new_y="NEXT")
        self.cell(
            0, 4, f"OpenQMS {openqms.__version__} · Page {self.page_no()} of {{nb}}", align="R"
        )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_gap_report(report: GapReport, *, generated_by: User) -> bytes:
    pdf = _ReportPDF(
        title=f"Clause coverage gap report ({STANDARD})",
        subtitle=(
            f"{plural(report.total, 'gap')} on {report.made_on:%d %b %Y} · "
            f"{plural(report.clauses, 'clause')}"
        ),
        note=generated_note(generated_by),
    )
    pdf.describe(
        title="Clause coverage gap report",
        subject=f"{STANDARD} clause coverage",
        author=generated_by.full_name,
    )
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    for line in (
        f"Clauses needing a documented procedure with none in force: {len(report.no_procedure)}",
        f"Documents in force past their periodic review: {len(report.overdue_reviews)}",
        f"Clauses not applicable without a justification: {len(report.unjustified)}",
        f"Applicable clauses no process addresses: {len(report.no_process)}",
        "Clauses the scope in force excludes without a justification: "
        f"{len(report.scope_unjustified)}",
        f"Not counted as gaps: {plural(len(report.scope_excluded), 'clause')} excluded by the "
        "scope in force (with justification)",
    ):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    clause_cols = (25, 149)
    pdf.section("Clauses needing a documented procedure with none in force")
    pdf.grid(clause_cols, ("Clause", "Title"), [(c.number, c.title) for c in report.no_procedure])
    pdf.section("Documents in force past their periodic review")
    pdf.grid(
        (30, 94, 28, 22),
        ("Document", "Title", "Review was due", "Days over"),
        [
            (r.number, r.title, r.next_review.isoformat(), str(r.days_over))
            for r in report.overdue_reviews
        ],
    )
    pdf.section("Clauses not applicable without a justification")
    pdf.grid(clause_cols, ("Clause", "Title"), [(c.number, c.title) for c in report.unjustified])
    pdf.section("Applicable clauses no process addresses")
    pdf.grid(clause_cols, ("Clause", "Title"), [(c.number, c.title) for c in report.no_process])
    pdf.section("Clauses the scope in force excludes without a justification")
    pdf.grid(
        clause_cols, ("Clause", "Title"), [(c.number, c.title) for c in report.scope_unjustified]
    )
    pdf.section("Excluded by the scope in force (with justification)")
    pdf.grid(
        (18, 52, 30, 74),
        ("Clause", "Title", "Scope", "Justification"),
        [
            (e.number, e.title, f"{e.kind} by scope version {e.scope}", e.justification)
            for e in report.scope_excluded
        ],
    )
    return bytes(pdf.output())
