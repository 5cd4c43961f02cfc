"""The quality-events journey in Chromium, through the pages only: feedback is logged and
classified as a complaint (aware now), the QA lead signs it a serious incident and the
clock shows, drafts and submits the initial incident report on time, raises a CAPA from
the complaint and takes it to its effectiveness check, top management verifies it
effective (not the owner), the CAPA is closed, the final report submitted and the
complaint closed (signed); then the device's PMS pack is downloaded and its index PDF
names the complaint. Screenshots at phone width of the complaint and the CAPA."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openqms.core import chain
from openqms.core.signatures import Credentials
from openqms.events.actions import across
from openqms.events.kinds import KINDS
from openqms.events.models import Capa, Complaint, IncidentReport
from openqms.testing import PASSWORD, make_cast
from openqms.training import actions as training

from ..events.conftest import effective_document, make_device
from .conftest import DESKTOP, PHONE
from .test_document_journey import sign_in, sign_in_dialog, sign_out

SIGN = Credentials(PASSWORD)
TITLE = "Missed atrial fibrillation episode, patient admitted"


def _world():
    """The cast, RhythmCheck (Class IIa), and one procedure in force that every kind of
    quality record follows, the QA lead and top management trained on it (as the demo)."""
    from openqms.qms.actions.families import create_family

    cast = make_cast()
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    device = make_device(cast, family)
    procedure = effective_document(cast, "Quality events handling")
    for person in (cast.qa_lead, cast.manager):
        assignment = training.assign_training(
            actor=cast.qa_lead,
            person=person,
            document=procedure,
            due_date=timezone.localdate() + dt.timedelta(days=14),
            reason="Performs quality-event steps",
        )
        training.sign_trained(actor=person, assignment=assignment, credentials=SIGN)
    for kind in KINDS:
        across.set_procedure(actor=cast.qa_lead, kind=kind, document=procedure)
    return cast, device


def _minute(moment: dt.datetime) -> str:
    """A datetime-local value in UK time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(page: Page, button: str):
    """The form holding the button named `button`."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def _open(page: Page, summary: str) -> None:
    """Opens a <details> of the page by its summary."""
    page.locator("summary", has_text=summary).click()


def _submit_report(page: Page, reference: str) -> None:
    page.get_by_role("button", name="Record the submission…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Submitted to the MHRA", exact=True)).to_be_visible()
    dialog.get_by_label("MHRA reference").fill(reference)
    dialog.get_by_label("Submitted on (UK time)").fill(_minute(timezone.now()))
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign: Submitted to the MHRA").click()
    expect(page.locator(".badge.state-submitted")).to_be_visible()


def test_a_serious_incident_is_reported_corrected_verified_closed_and_packed(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    _cast, device = _world()
    page.set_viewport_size(DESKTOP)

    # The QA lead logs the feedback received a few minutes ago.
    sign_in(page, "qa-lead")
    page.goto("/events/feedback/new/")
    page.get_by_label("Short title").fill(TITLE)
    page.get_by_label("Source", exact=True).select_option(label="healthcare professional")
    page.get_by_label("Received (date and time)").fill(
        _minute(timezone.now() - dt.timedelta(minutes=5))
    )
    page.get_by_label("Reported by").fill("Dr Patel, cardiology")
    page.get_by_label("Device", exact=True).select_option(label=str(device))
    page.get_by_label("What was said").fill(
        "RhythmCheck did not flag a 40-minute AF episode; the patient was admitted."
    )
    page.get_by_role("button", name="Log feedback").click()
    expect(page.locator("main h1")).to_contain_text(TITLE)

    # It is a complaint, aware now (awareness left empty: when it was received).
    form = _form(page, "Open the complaint")
    form.get_by_label("Incident type").select_option(label="serious incident")
    form.get_by_label("Lot or batch").fill("2.1.4")
    page.get_by_role("button", name="Open the complaint").click()
    expect(page.locator("main h1")).to_contain_text(TITLE)
    complaint_url = page.url
    number = Complaint.objects.get().number
    expect(page.get_by_text("No reportability decision yet.")).to_be_visible()

    # Judged a serious incident, signed: the clock shows.
    page.get_by_role("button", name="Sign a reportability decision…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Reportability decided", exact=True)).to_be_visible()
    answers = {
        "Did the device cause or contribute to it, or is it suspected to?": "yes",
        "Did anyone die?": "no",
        "Was there a serious deterioration in someone's health?": "yes",
        "Is it a serious public health threat?": "no",
        "Was the outcome unanticipated (not in the risk analysis)?": "yes",
        "Should it count towards trends?": "no",
    }
    for question, answer in answers.items():
        dialog.get_by_label(question).select_option(answer)
    dialog.get_by_label("Why (rationale)").fill("Missed AF led to an admission.")
    dialog.get_by_label("Password").fill(PASSWORD)
    # The dialog scrolls inside the window: its Sign button is reachable by a click.
    dialog.get_by_role("button", name="Sign: Reportability decided").click()
    expect(page.get_by_test_id("clock")).to_contain_text("left")
    expect(page.locator("#clock").locator("..")).to_contain_text("report to the MHRA by")

    # The initial incident report, drafted from the complaint and submitted on time.
    page.get_by_role("link", name="Raise an incident report").click()
    expect(page.locator("main h1")).to_contain_text(f"New incident report for {number}")
    expect(page.get_by_label("Report", exact=True)).to_have_value("initial")
    page.get_by_label("Actions taken").fill("Field data reviewed; algorithm investigation opened.")
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator(".badge.state-draft")).to_be_visible()
    _submit_report(page, "MHRA-2026-0419")
    expect(page.locator("dl.facts").first).to_contain_text("MHRA-2026-0419")
    expect(page.locator("dt:text-is('On time') + dd")).to_have_text("yes")

    # A CAPA is raised from the complaint, owned by the QA lead.
    page.goto(complaint_url)
    page.get_by_role("link", name="Raise a CAPA").click()
    page.get_by_label("Title", exact=True).fill("Missed AF detection in long episodes")
    page.get_by_label("Problem statement").fill("The detector misses AF episodes over 30 min.")
    page.get_by_label("Device", exact=True).select_option(label=str(device))
    page.get_by_role("button", name="Raise the CAPA").click()
    expect(page.locator(".badge.state-open")).to_be_visible()
    capa_url = page.url
    expect(page.locator("ul.links")).to_contain_text(number)

    # Its steps: investigation, risk, analysis, plan, actions done, verification, plan
    # of the effectiveness check, regulatory impact.
    page.get_by_role("button", name="Start the investigation").click()
    expect(page.locator(".badge.state-investigating")).to_be_visible()
    _open(page, "Edit the problem, risk and containment")
    form = _form(page, "Save")
    form.get_by_label("Severity", exact=True).select_option(label="4 – critical / probable")
    form.get_by_label("Probability", exact=True).select_option(label="2 – minor / remote")
    form.get_by_label("Containment (immediate action)").fill("Advisory to clinics.")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("dd", has_text="score 8")).to_be_visible()
    _open(page, "Record the analysis")
    form = _form(page, "Save the analysis")
    form.get_by_label("Why 1").fill("The episode was split by noise.")
    form.get_by_label("Why 2").fill("The noise filter resets the episode timer.")
    form.get_by_label("software").check()
    form.get_by_label("Root cause statement").fill("Timer reset on filtered noise.")
    form.get_by_role("button", name="Save the analysis").click()
    expect(page.locator("dd", has_text="Timer reset on filtered noise.")).to_be_visible()
    _open(page, "Add an action")
    form = _form(page, "Add the action")
    form.get_by_label("Description", exact=True).fill("Keep the episode timer over noise.")
    owner = form.get_by_label("Owner", exact=True)
    owner.select_option(owner.locator("option", has_text="Quinn Avery").get_attribute("value"))
    form.locator("[name=action-due]").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    form.get_by_role("button", name="Add the action").click()
    expect(page.locator("table.grid").first).to_contain_text("Keep the episode timer")
    page.get_by_role("button", name="Start the action plan").click()
    expect(page.locator(".badge.state-implementing")).to_be_visible()
    done = _form(page, "Mark done")
    done.get_by_label("Evidence", exact=True).fill("Release 2.1.5 with the fix, tests attached.")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator("table.grid").first).to_contain_text("Release 2.1.5")
    page.get_by_role("button", name="Send for verification").click()
    expect(page.locator(".badge.state-verifying")).to_be_visible()
    form = _form(page, "Record")
    form.first.get_by_label("What was checked").fill("2.1.5 installed at all sites.")
    form.first.get_by_role("button", name="Record").click()
    expect(page.locator("dd", has_text="2.1.5 installed at all sites.")).to_be_visible()
    _open(page, "Plan the effectiveness check")
    form = _form(page, "Save the plan")
    form.locator("[name=check-criteria]").fill("No missed AF episode in 3 months of field data.")
    form.locator("[name=check-due]").fill(
        (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    form.get_by_role("button", name="Save the plan").click()
    expect(page.locator("dd", has_text="No missed AF episode in 3 months")).to_be_visible()
    _open(page, "Assess the regulatory impact")
    form = _form(page, "Save").filter(has=page.locator("[name=touches_safety]"))
    form.locator("[name=touches_safety]").select_option("no")
    form.locator("[name=assessment]").fill("Software fix within the certified design.")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("dd", has_text="Software fix within the certified design.")).to_be_visible()
    page.get_by_role("button", name="Start the effectiveness check").click()
    expect(page.locator(".badge.state-effectiveness")).to_be_visible()
    # The owner may not judge their own CAPA effective.
    expect(page.get_by_role("button", name="Sign the effectiveness result…")).to_have_count(0)
    sign_out(page)

    # Top management verifies it effective, signed.
    sign_in(page, "manager")
    page.goto(capa_url)
    page.get_by_role("button", name="Sign the effectiveness result…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("CAPA effectiveness verified", exact=True)).to_be_visible()
    dialog.get_by_label("Result", exact=True).select_option("effective")
    dialog.get_by_label("Evidence against the criteria").fill("3 months, no missed episode.")
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign: CAPA effectiveness verified").click()
    expect(page.get_by_role("heading", name="Round 1: effective")).to_be_visible()
    expect(page.locator(".signatures").first).to_contain_text("Mia Manager")
    sign_out(page)

    # The QA lead closes the CAPA.
    sign_in(page, "qa-lead")
    page.goto(capa_url)
    sign_in_dialog(page, "Close the CAPA", "CAPA closed")
    expect(page.locator(".badge.state-closed")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / "events-capa-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # The final report, then the complaint's investigation, reply and signed closure.
    page.goto(complaint_url)
    page.get_by_role("link", name="Raise an incident report").click()
    page.get_by_label("Report", exact=True).select_option("final")
    page.get_by_label("Root cause", exact=True).fill("Timer reset on filtered noise.")
    page.get_by_label("Actions taken").fill("Release 2.1.5; effectiveness verified.")
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator(".badge.state-draft")).to_be_visible()
    _submit_report(page, "MHRA-2026-0419-F")

    page.goto(complaint_url)
    form = _form(page, "Save")
    form.get_by_label("Investigation", exact=True).fill("Logs reviewed; reproduced.")
    form.get_by_label("Root cause", exact=True).fill("Timer reset on filtered noise.")
    form.get_by_label("Is a CAPA needed?").select_option("yes")
    form.get_by_label("Why (or why not)").fill("Design change needed.")
    form.get_by_label("Reply to the complainant").fill("Fixed in 2.1.5; thank you.")
    form.get_by_label("Replied (date and time)").fill(_minute(timezone.now()))
    form.get_by_role("button", name="Save").click()
    expect(page.locator("ul.problems")).to_have_count(0)
    page.get_by_role("button", name="Sign the closure…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Complaint closed", exact=True)).to_be_visible()
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign: Complaint closed").click()
    expect(page.locator(".badge.state-closed")).to_be_visible()
    expect(page.locator(".signatures").first).to_contain_text("Quinn Avery")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / "events-complaint-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # The device's PMS pack: a ZIP whose index PDF names the complaint.
    page.goto(f"/events/pms/devices/{device.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PMS pack (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert "index.pdf" in archive.namelist()
    index = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("index.pdf"))).pages
    )
    # The pack covers incident reports, FSCAs and trends (no complaints section): the
    # complaint is named in its incident reports' rows, its number wrapped in the grid.
    assert re.search(r"Incident reports — 2 incident report\(s\), 0 late", index)
    assert re.sub(r"\s+", "", index).count(number) == 2

    complaint = Complaint.objects.get()
    assert complaint.state == "closed"
    reports = IncidentReport.objects.order_by("sequence")
    assert [(r.report_type, r.state) for r in reports] == [
        ("initial", "submitted"),
        ("final", "submitted"),
    ]
    assert reports[0].on_time is True
    assert Capa.objects.get().state == "closed"
    assert chain.verify_chain().ok
