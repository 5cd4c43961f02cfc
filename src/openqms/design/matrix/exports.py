"""The trace matrix as files: CSV, XLSX, PDF and a static HTML page (self-contained: its
style is inline, it loads nothing), each written in one pass over the matrix rows.
Cells typed by people are made safe for spreadsheets (core.spreadsheet.safe) and
escaped in HTML."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html import escape
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook

from openqms.core.models import User
from openqms.core.pdf import FONT, ControlledPDF, generated_note, local_time
from openqms.core.spreadsheet import safe
from openqms.design.matrix import Levels, Row, _build, cells, header, levels, write_csv
from openqms.design.models import DesignProject

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
}
FORMATS = set(CONTENT_TYPES)


def title_of(project: DesignProject, ends: Levels | None) -> str:
    if ends is None:
        return f"Trace matrix of {project.name}"
    return f"Trace matrix of {project.name}: {ends.from_type.name} to {ends.to_type.name}"


def _note(viewer: User | None) -> str:
    if viewer is not None:
        return generated_note(viewer)
    return f"Generated {local_time(timezone.now())} by `openqms design check`"


def as_csv(
    project: DesignProject, ends: Levels | None, viewer: User | None, rows: list[Row]
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title_of(project, ends), _note(viewer)])
    if ends is not None:
        writer.writerow(header(ends))
        for row in rows:
            writer.writerow([safe(cell) for cell in cells(row)])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(
    project: DesignProject, ends: Levels | None, viewer: User | None, rows: list[Row]
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Trace matrix")
    sheet.append([title_of(project, ends), _note(viewer)])
    if ends is not None:
        sheet.append(header(ends))
        for row in rows:
            sheet.append([safe(cell) for cell in cells(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDTHS = (32, 70, 45, 60, 54)  # mm, landscape A4 less margins


def as_pdf(
    project: DesignProject, ends: Levels | None, viewer: User | None, rows: list[Row]
) -> bytes:
    pdf = ControlledPDF(
        title=title_of(project, ends),
        subtitle=project.title[:120],
        note=_note(viewer),
        landscape=True,
        margin=10,
    )
    pdf.describe(title=title_of(project, ends), subject="Trace matrix", author="OpenQMS")
    pdf.add_page()
    if ends is None:
        pdf.set_font(FONT, "", 9)
        pdf.cell(0, 6, "No active design items.")
        return bytes(pdf.output())
    pdf.set_font(FONT, "B", 8)
    for width, cell in zip(WIDTHS, header(ends), strict=True):
        pdf.cell(width, 6, cell[:40], border=1)
    pdf.ln()
    pdf.set_font(FONT, "", 7)
    for row in rows:
        for width, cell in zip(WIDTHS, cells(row), strict=True):
            pdf.cell(width, 5, _fit(pdf, cell, width), border=1)
        pdf.ln()
    return bytes(pdf.output())


def _fit(pdf: ControlledPDF, text: str, width: float) -> str:
    """The cell's text cut to its width (the CSV and XLSX carry it whole)."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[: max(len(text) * 9 // 10, len(text) - 20) if len(text) > 40 else -1]
    return text + "…"


STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "th,td{border:1px solid #999;padding:.2em .5em;vertical-align:top;text-align:left}"
    ".gap{color:#a00}"
)


def as_html(
    project: DesignProject, ends: Levels | None, viewer: User | None, rows: list[Row]
) -> bytes:
    title = escape(title_of(project, ends))
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1><p>{escape(_note(viewer))}</p>"
    ]
    if ends is None:
        parts.append("<p>No active design items.</p>")
    else:
        parts.append("<table><thead><tr>")
        parts.extend(f"<th scope='col'>{escape(h)}</th>" for h in header(ends))
        parts.append("</tr></thead><tbody>")
        for row in rows:
            values = cells(row)
            parts.append("<tr>")
            for index, value in enumerate(values):
                cls = " class='gap'" if index in (2, 4) and value else ""
                parts.append(f"<td{cls}>{escape(value)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


WRITERS: dict[str, Callable[..., bytes]] = {
    ".csv": as_csv,
    ".xlsx": as_xlsx,
    ".pdf": as_pdf,
    ".html": as_html,
}


def render(
    project: DesignProject,
    suffix: str,
    *,
    viewer: User | None = None,
    from_type: str | None = None,
    to_type: str | None = None,
    only_gaps: bool = False,
    search: str = "",
) -> bytes:
    ends = levels(project.pk, from_type, to_type)
    found = (
        [] if ends is None else list(_build(project.pk, ends, only_gaps=only_gaps, search=search))
    )
    return WRITERS[suffix](project, ends, viewer, found)


def write_file(
    project: DesignProject,
    path: Path,
    *,
    from_type: str | None = None,
    to_type: str | None = None,
) -> int:
    """The matrix written to `path` in the format its suffix names; rows written."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            return write_csv(project.pk, out, from_type=from_type, to_type=to_type)
    ends = levels(project.pk, from_type, to_type)
    found = [] if ends is None else list(_build(project.pk, ends, only_gaps=False, search=""))
    path.write_bytes(WRITERS[suffix](project, ends, None, found))
    return len(found)
