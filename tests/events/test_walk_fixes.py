"""What the walk through the pages in a browser found, fixed: the record PDF's history in
plain words, "Raise a …" and the trail link only for who may open them, deadlines as the
last UK day, CAPA page ids and owners, yes/no in exports, explicit reportability
answers, phone layouts, plain empty choices, the CAPAs' place in the menu."""

import datetime as dt
import importlib
import io
import pkgutil
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from openqms.core import audit
from openqms.core.errors import InvalidInput
from openqms.events import forms as events_forms
from openqms.events.actions import complaints as actions
from openqms.events.clocks import deadline_text
from openqms.events.export import _cell
from openqms.events.forms.capa import ActionForm, CapaForm, CheckPlanForm
from openqms.events.forms.complaints import DecisionForm
from openqms.events.models import Complaint, IncidentType, ReportabilityDecision
from openqms.events.module import module
from openqms.events.templatetags.events import _raisable, record_tail, uk_deadline
from openqms.testing import event_count

from .capa_helpers import raised
from .complaints_setup import SERIOUS, decide, open_complaint
from .conftest import SIGN

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


@pytest.mark.verifies("EVT-039")
def test_the_pdf_history_reads_label_old_to_new_in_plain_words(client, cast, device):
    complaint = open_complaint(cast, device)
    with audit.writing():
        audit.record(
            actor=cast.qa_lead,
            action="events.complaint.edited",
            obj=complaint,
            changes={
                "incident_type": [None, IncidentType.SERIOUS.value],
                "patient_involved": [False, True],
                "closed_at": [None, "2026-07-01T09:30:00+00:00"],
            },
        )
    client.force_login(cast.qa_lead)
    response = client.get(reverse("events:record-pdf", args=["complaint", complaint.pk]))
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    ).replace("\n", " ")
    label = str(IncidentType.SERIOUS.label)
    assert f"incident type: — → {label}" in text
    assert "patient involved: no → yes" in text
    assert "2026-07-01 10:30:00 BST" in text
    assert "[None" not in text and "serious_incident" not in text and "[False" not in text


@pytest.mark.verifies("EVT-045")
def test_raise_buttons_are_offered_only_to_holders_of_the_create_pages_permission(cast, device):
    complaint = open_complaint(cast, device)
    offered = {
        u: {label for label, _ in _raisable(getattr(cast, u), complaint)}
        for u in ("qa_lead", "manager", "trainee", "auditor")
    }
    assert "Raise an incident report" in offered["qa_lead"]
    assert "Raise an incident report" not in offered["manager"]
    assert "Raise an FSCA" not in offered["manager"] | offered["trainee"]
    assert offered["auditor"] == set()


@pytest.mark.verifies("EVT-045")
def test_the_trail_link_is_shown_only_to_readers_of_the_audit_trail(cast, device):
    complaint = open_complaint(cast, device)

    def tail(user):
        request = RequestFactory().get("/")
        request.user = user
        return record_tail({"request": request}, complaint)

    assert tail(cast.auditor)["trail_url"].startswith("/")
    assert tail(cast.trainee)["trail_url"] == ""


@pytest.mark.verifies("EVT-013")
def test_draft_it_on_the_vigilance_page_is_only_for_reporters(client, cast, device):
    decide(cast, open_complaint(cast, device))
    client.force_login(cast.auditor)
    html = client.get("/events/vigilance/").content.decode()
    assert "Draft it" not in html and "Not drafted yet" in html
    client.force_login(cast.qa_lead)
    assert "Draft it" in client.get("/events/vigilance/").content.decode()


@pytest.mark.verifies("EVT-009")
def test_a_deadline_reads_as_the_end_of_its_last_uk_day():
    assert deadline_text(dt.datetime(2026, 12, 5, tzinfo=UK)) == "end of Fri 4 Dec 2026 (UK time)"
    summer = dt.datetime(2026, 7, 1, tzinfo=UK).astimezone(dt.UTC)
    assert uk_deadline(summer) == "end of Tue 30 Jun 2026 (UK time)"
    assert uk_deadline(None) == "—"


@pytest.mark.verifies("EVT-009")
def test_the_complaint_and_vigilance_pages_show_the_last_day(client, cast, device):
    complaint = open_complaint(cast, device)
    decision = decide(cast, complaint)
    shown = deadline_text(decision.deadline_at)
    assert shown.startswith("end of ") and "00:00" not in shown
    client.force_login(cast.qa_lead)
    assert shown in client.get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert shown in client.get("/events/vigilance/").content.decode()


def test_the_capa_page_has_no_duplicate_due_ids(client, cast):
    capa = raised(cast)
    client.force_login(cast.qa_lead)
    html = client.get(f"/events/capas/{capa.pk}/").content.decode()
    assert 'id="id_due"' not in html
    assert ActionForm().prefix != CheckPlanForm().prefix


@pytest.mark.verifies("EVT-045")
def test_only_capa_handlers_are_offered_as_capa_owners(cast):
    owners = set(CapaForm().fields["owner"].queryset)
    assert cast.qa_lead in owners
    assert cast.auditor not in owners and cast.trainee not in owners


@pytest.mark.verifies("EVT-040")
def test_exports_print_yes_and_no():
    assert (_cell(True), _cell(False), _cell(3)) == ("yes", "no", 3)


@pytest.mark.verifies("EVT-006", refusal=True)
def test_a_missing_reportability_answer_is_refused_and_nothing_written(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    answers = {k: v for k, v in SERIOUS.items() if k != "death"}
    with pytest.raises(InvalidInput) as refused:
        actions.decide_reportability(
            actor=cast.qa_lead,
            complaint=complaint,
            answers=answers,
            rationale="Admitted.",
            credentials=SIGN,
        )
    assert "death" in refused.value.fields and "not answered: death" in str(refused.value)
    assert event_count() == before
    assert not ReportabilityDecision.objects.filter(complaint=complaint).exists()
    assert Complaint.objects.get(pk=complaint.pk).state == complaint.state


@pytest.mark.verifies("EVT-006")
def test_the_decision_form_has_no_default_answer():
    form = DecisionForm({"rationale": "x"})
    assert not form.is_valid()
    assert form.errors["death"] == ["Answer yes or no: nothing is assumed."]
    assert DecisionForm()["death"].value() in (None, "")


@pytest.mark.verifies("EVT-045")
def test_phone_tables_stack_with_their_key_columns_named(client, cast, device):
    decide(cast, open_complaint(cast, device))
    client.force_login(cast.qa_lead)
    html = client.get("/events/vigilance/").content.decode()
    assert 'class="grid stack"' in html and 'data-label="Time left"' in html


def _forms():
    for info in pkgutil.iter_modules(events_forms.__path__):
        found = importlib.import_module(f"{events_forms.__name__}.{info.name}")
        for value in vars(found).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.Form)
                and (value.__module__ == found.__name__)
            ):
                yield value


@pytest.mark.verifies("EVT-045")
def test_no_dropdown_offers_dashes_as_its_empty_choice(cast, device):
    shown = 0
    for form_class in _forms():
        try:
            form = form_class()
        except TypeError:  # a form that needs its record
            continue
        shown += 1
        assert "---------" not in str(form), form_class.__name__
    assert shown > 10


def test_capas_come_last_in_the_quality_events_menu():
    [entry] = [n for n in module.nav if n.url_name == "events:capas"]
    assert (entry.order, entry.group) == (78, "Quality events")
