"""Patient details and outcome never reach a role without core.health_data:read: not the
complaint page, not the API, not the audit trail, not the PMS pack; the QA lead sees
them and the read is recorded."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.core.confidentiality import HIDDEN
from openqms.events.actions import complaints as actions
from openqms.testing import event_count, last_event

from .complaints_setup import open_complaint
from .conftest import uk

PATIENT = "Mrs B. Example, born 1951"
OUTCOME = "Admitted to the coronary care unit"


def _with_patient(cast, device):
    complaint = open_complaint(cast, device)
    return actions.edit_complaint(
        actor=cast.qa_lead,
        complaint=complaint,
        patient_involved=True,
        patient_details=PATIENT,
        patient_outcome=OUTCOME,
    )


def _api(client, user, path):
    token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
    return client.get(f"/api/v1/events{path}", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.verifies("EVT-005", refusal=True)
def test_the_auditor_sees_the_page_without_the_health_data(cast, device, signed_in):
    complaint = _with_patient(cast, device)
    before = event_count()
    html = signed_in(cast.auditor).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert PATIENT not in html and OUTCOME not in html and HIDDEN in html
    assert event_count() == before


@pytest.mark.verifies("EVT-005")
def test_the_qa_lead_sees_it_and_the_read_is_recorded(cast, device, signed_in):
    complaint = _with_patient(cast, device)
    html = signed_in(cast.qa_lead).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert PATIENT in html and OUTCOME in html
    read = last_event()
    assert (read.action, read.object_id) == ("core.health_data.read", str(complaint.pk))


@pytest.mark.verifies("EVT-005", refusal=True)
def test_the_api_hides_it_from_the_auditor(cast, device, client):
    complaint = _with_patient(cast, device)
    body = _api(client, cast.auditor, f"/complaints/{complaint.pk}").json()
    assert (body["patient_details"], body["patient_outcome"]) == (HIDDEN, HIDDEN)
    assert PATIENT not in json.dumps(body)


@pytest.mark.verifies("EVT-005")
def test_the_api_shows_it_to_the_qa_lead(cast, device, client):
    complaint = _with_patient(cast, device)
    body = _api(client, cast.qa_lead, f"/complaints/{complaint.pk}").json()
    assert (body["patient_details"], body["patient_outcome"]) == (PATIENT, OUTCOME)


@pytest.mark.verifies("EVT-005", refusal=True)
def test_the_trail_masks_the_edit_for_the_auditor(cast, device, signed_in):
    complaint = _with_patient(cast, device)
    query = {"object_type": "events.complaint", "object_id": str(complaint.pk)}
    html = signed_in(cast.auditor).get("/audit/", query).content.decode()
    assert "Complaint edited" in html
    assert PATIENT not in html and OUTCOME not in html


@pytest.mark.verifies("EVT-005")
def test_the_pms_pack_section_holds_no_health_data(cast, device):
    _with_patient(cast, device)
    section = actions.pack_section(
        device, uk("2026-01-01 00:00").date(), uk("2026-12-31 00:00").date()
    )
    assert section.summary == "1 complaints, 0 reportable"
    assert PATIENT not in json.dumps(section.rows) and OUTCOME not in json.dumps(section.rows)
