"""An incident report as a PDF (the MHRA manufacturer incident report's sections, in
the order the form asks for them), with its signature page. The patient outcome is
printed only for a viewer granted health data; a pack (viewer None) never has it."""

from __future__ import annotations

from openqms.core.confidentiality import reveal
from openqms.core.models import User
from openqms.core.pdf import (
    FONT,
    ControlledPDF,
    archive_note,
    generated_note,
    local_time,
    signature_page,
)
from openqms.events.models import IncidentReport

YES_NO = {True: "yes", False: "no (late)", None: "not judged (no due date)"}


def _rows(pdf: ControlledPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(55, 5, label)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, value or "—", align="L", new_x="LMARGIN", new_y="NEXT")


def report_pdf(report: IncidentReport, viewer: User | None) -> bytes:
    # The read of the outcome is recorded (core.confidentiality; ISO 13485 4.2.5).
    outcome = reveal(viewer, report, ["patient_outcome"])["patient_outcome"]
    pdf = ControlledPDF(
        title=f"{report.number}  Manufacturer incident report",
        subtitle=(
            f"{report.get_report_type_display().capitalize()} report no. {report.sequence} of "
            f"{report.complaint.number} · {report.get_state_display()}"
        ),
        note=generated_note(viewer) if viewer is not None else archive_note(),
    )
    pdf.describe(
        title=f"{report.number} incident report",
        subject=f"{report.number}: {report.title}",
        author="OpenQMS",
    )
    pdf.add_page()
    pdf.section("Submission")
    _rows(
        pdf,
        [
            ("MHRA reference", report.mhra_reference),
            ("Submitted", local_time(report.submitted_at) if report.submitted_at else ""),
            ("Submitted by", report.submitted_by.full_name if report.submitted_by else ""),
            ("Deadline", local_time(report.deadline_at) if report.deadline_at else ""),
            ("On time", YES_NO[report.on_time] if report.submitted_at else ""),
        ],
    )
    pdf.section("Device identification")
    _rows(
        pdf,
        [
            ("Device", report.device_name),
            ("Model", report.device_model),
            ("Class", report.device_class),
            ("GMDN code", report.gmdn_code),
            ("Basic UDI-DI", report.basic_udi_di),
            ("UDI-DI", report.udi_di),
            ("Serial number", report.serial),
            ("Lot or batch", report.lot),
            ("Software version", report.software_version),
        ],
    )
    pdf.section("The incident")
    _rows(
        pdf,
        [
            (
                "Date of incident",
                f"{report.incident_date:%d %b %Y}" if report.incident_date else "",
            ),
            ("Manufacturer aware", local_time(report.awareness_at)),
            ("Description", report.event_description),
            ("Patient outcome", outcome),
        ],
    )
    pdf.section("Investigation and actions")
    _rows(
        pdf,
        [
            ("Investigation", report.investigation),
            ("Root cause", report.root_cause),
            ("Actions taken", report.actions_taken),
            ("Actions planned", report.actions_planned),
            ("Manufacturer's comments", report.manufacturer_comments),
        ],
    )
    signature_page(pdf, report, label=report.number)
    return bytes(pdf.output())
