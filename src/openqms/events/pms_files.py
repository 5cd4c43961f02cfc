"""The files of post-market surveillance: a periodic report's data pack (every area's
section of the period, and the exposure figures) and a device's PMS pack for the MHRA
(the PMS plan's controlled PDF, the last PSUR or PMSR, and the incidents, FSCAs and
trend reports of the device's whole history), each as a ZIP (a CSV per section, the
sections' own files, the PDFs) with an index PDF.

What goes in a pack leaves the QMS: the sections carry no health data (events.pack).
The ZIP is written into a temporary file that spills to disk past a few megabytes, then
streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.module_loading import import_string

from openqms.core.models import User
from openqms.core.pdf import FONT, ControlledPDF, generated_note
from openqms.core.spreadsheet import safe
from openqms.devices.models import Device
from openqms.documents.actions import effective_revision
from openqms.documents.pdf import render_revision
from openqms.events import pack
from openqms.events.actions.pms import current_plan
from openqms.events.models import ExposureFigure, PmsReport, PmsReportState

SPOOL = 8 * 1024 * 1024
# The areas whose sections a PMS pack for the MHRA carries (incidents, FSCAs, trends).
PMS_PACK_AREAS = ("vigilance", "fsca", "trends")


@dataclass
class Pack:
    title: str
    subtitle: str
    sections: list[pack.PackSection]
    pdfs: list[tuple[str, bytes]] = field(default_factory=list)  # (name in the ZIP, PDF)
    notes: list[str] = field(default_factory=list)  # lines on the index's first page


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text).strip("_") or "section"


def exposure_section(device: Device, start: dt.date, end: dt.date) -> pack.PackSection:
    """The sales and exposure figures of periods overlapping [start, end)."""
    figures = ExposureFigure.objects.filter(
        device=device, withdrawn_at__isnull=True, period_start__lt=end, period_end__gte=start
    ).order_by("period_start", "pk")
    rows = [
        (f.period_start, f.period_end, f.market or "all", f.units_sold, f.units_in_use or "")
        for f in figures
    ]
    return pack.PackSection(
        title="Sales and exposure",
        columns=("period start", "period end", "market", "units sold", "units in use"),
        rows=rows,
        summary=f"{sum(int(r[3]) for r in rows)} units placed on the market in {len(rows)} "
        "period(s)",
    )


def data_pack(report: PmsReport) -> Pack:
    """What the author of a periodic report starts from: every area's section of the
    report's period, and the exposure figures."""
    device, start, end = report.device, report.period_start, report.period_end
    assert device is not None
    return Pack(
        title=f"{report.number} data pack",
        subtitle=f"{device} · {start:%d %b %Y} – {end:%d %b %Y}",
        sections=[*pack.sections(device, start, end), exposure_section(device, start, end)],
    )


def _history_sections(device: Device, start: dt.date, end: dt.date) -> list[pack.PackSection]:
    found = []
    for path in pack.SECTIONS:
        if path.split(".")[-2] not in PMS_PACK_AREAS:
            continue
        try:
            section = import_string(path)
        except ImportError:  # that area is not installed
            continue
        found.append(section(device, start, end))
    return found


def pms_pack(device: Device, user: User) -> Pack:
    """A device's PMS pack for the MHRA: plan, last periodic report, and the incidents,
    FSCAs and trend reports of its whole history."""
    today = timezone.localdate()
    start = min(device.first_placed_on or device.created_at.date(), device.created_at.date())
    result = Pack(
        title=f"PMS pack of {device}",
        subtitle=f"Generated {today:%d %b %Y} · history from {start:%d %b %Y}",
        sections=_history_sections(device, start, today + dt.timedelta(days=1)),
    )
    plan = current_plan(device)
    revision = effective_revision(plan.document) if plan else None
    if plan is None:
        result.notes.append("PMS plan: none linked.")
    elif revision is None:
        result.notes.append(f"PMS plan: {plan.document} has no revision in force.")
    else:
        result.notes.append(f"PMS plan: {plan.document} revision {revision.label} (in force).")
        name = f"pms-plan-{_name(plan.document.number)}-rev-{_name(revision.label)}.pdf"
        result.pdfs.append((name, render_revision(revision, printed_by=user)))
    last = (
        PmsReport.objects.filter(device=device, state=PmsReportState.COMPLETED)
        .select_related("document")
        .order_by("-period_end")
        .first()
    )
    if last is None:
        result.notes.append("Last PSUR/PMSR: none completed yet.")
    else:
        result.notes.append(
            f"Last periodic report: {last.number} ({last.get_report_type_display()}, "
            f"{last.period_start:%d %b %Y} – {last.period_end:%d %b %Y})."
        )
        report_revision = effective_revision(last.document) if last.document else None
        if report_revision is not None:
            name = f"last-report-{_name(last.number)}.pdf"
            result.pdfs.append((name, render_revision(report_revision, printed_by=user)))
    return result


def index_pdf(found: Pack, user: User) -> bytes:
    pdf = ControlledPDF(title=found.title, subtitle=found.subtitle, note=generated_note(user))
    pdf.describe(title=found.title, subject=found.subtitle, author="OpenQMS")
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    for line in found.notes:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    for name, _ in found.pdfs:
        pdf.multi_cell(0, 5, f"Included: {name}", new_x="LMARGIN", new_y="NEXT")
    for section in found.sections:
        pdf.section(f"{section.title} — {section.summary}" if section.summary else section.title)
        width = max(12, int(174 / max(1, len(section.columns))))
        rows: list[Sequence[Any]] = [list(r) for r in section.rows[:200]]
        pdf.grid([width] * len(section.columns), list(section.columns), rows)
        if len(section.rows) > 200:
            pdf.cell(0, 5, f"… {len(section.rows) - 200} more rows in the CSV.")
            pdf.ln(5)
    return bytes(pdf.output())


def section_csv(section: pack.PackSection) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(section.columns)
    for row in section.rows:
        writer.writerow([safe(str(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def pack_zip(found: Pack, user: User) -> IO[bytes]:
    """index.pdf, NN-<section>.csv (and the section's files under NN-<section>/), the
    PDFs; seeked to the start."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.pdf", index_pdf(found, user))
        for order, section in enumerate(found.sections, start=1):
            stem = f"{order:02d}-{_name(section.title.lower())}"
            archive.writestr(f"{stem}.csv", section_csv(section))
            for name, content in section.files:
                archive.writestr(f"{stem}/{_name(name)}", content)
        for name, content in found.pdfs:
            archive.writestr(name, content)
    out.seek(0)
    return out
