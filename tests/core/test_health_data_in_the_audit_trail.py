"""The audit trail (page, its htmx rows, the API) shows changes to health-data fields
masked, old and new values alike, to anyone without core.health_data:read, reasons
untouched; holders see them and the read is recorded, one event per record. The stored
events, and so the chain, stay as they were: masking is display only."""

import pytest
from django.db import transaction

from openqms.core import audit, chain
from openqms.core.models import AuditEvent
from openqms.testapp.actions import edit_specimen
from openqms.testing import changes_of, event_count
from tests.core.health_data import HIDDEN, PATIENT, reads, specimen_with_patient

LATER = "Mrs A. Example, born 1948, discharged well"


def _specimen_edited(cast):
    specimen = specimen_with_patient(cast)
    edit_specimen(actor=cast.author, specimen=specimen, body="Alarm silent.", patient_details=LATER)
    with transaction.atomic():
        audit.record(
            actor=cast.author,
            action="testapp.specimen.edited",
            obj=specimen,
            changes={"patient_details": [LATER, PATIENT]},
            reason="The patient rang back: reverted",
        )
    return specimen


def _trail(client, specimen, **headers):
    query = {"object_type": "testapp.specimen", "object_id": str(specimen.pk)}
    return client.get("/audit/", query, headers=headers)


@pytest.mark.verifies("CORE-027", refusal=True)
def test_without_the_grant_old_and_new_values_are_hidden_and_reasons_shown(signed_in, cast):
    specimen = _specimen_edited(cast)
    before = event_count()
    client = signed_in(cast.auditor)
    for page in (_trail(client, specimen), _trail(client, specimen, HX_Request="true")):
        html = page.content.decode()
        assert PATIENT not in html and LATER not in html
        assert f"{HIDDEN} → {HIDDEN}" in html
        assert "The patient rang back: reverted" in html
        assert "Alarm silent." in html  # other fields of the same event stay visible
    assert event_count() == before


@pytest.mark.verifies("CORE-027", refusal=True)
def test_without_the_grant_the_api_hides_them_too(signed_in, cast):
    specimen = _specimen_edited(cast)
    before = event_count()
    response = signed_in(cast.auditor).get(
        "/api/v1/audit/events",
        {"object_type": "testapp.specimen", "object_id": str(specimen.pk)},
    )
    items = response.json()["items"]
    assert PATIENT not in response.content.decode() and LATER not in response.content.decode()
    edits = [i for i in items if "patient_details" in i["changes"]]
    assert len(edits) == 3
    assert all(i["changes"]["patient_details"] == [HIDDEN, HIDDEN] for i in edits)
    assert "The patient rang back: reverted" in {i["reason"] for i in items}
    assert event_count() == before


def test_a_holder_sees_them_and_one_read_is_recorded_per_record(signed_in, cast):
    specimen = _specimen_edited(cast)
    other = specimen_with_patient(cast, details="Mr B. Example, rash")
    before = event_count()
    page = signed_in(cast.qa_lead).get("/audit/", {"action": "testapp.specimen.edited"})
    html = page.content.decode()
    assert PATIENT in html and LATER in html and "Mr B. Example, rash" in html
    assert event_count() == before + 2
    assert {(r.object_id, r.actor_id) for r in reads()} == {
        (str(specimen.pk), cast.qa_lead.pk),
        (str(other.pk), cast.qa_lead.pk),
    }
    assert all(changes_of(r) == {"fields": ["patient_details"]} for r in reads())


def test_a_page_without_health_data_records_no_read(signed_in, cast):
    _specimen_edited(cast)
    before = event_count()
    signed_in(cast.qa_lead).get("/audit/", {"action": "core.user.created"})
    assert event_count() == before


def test_masking_leaves_the_stored_events_and_the_chain_untouched(signed_in, cast):
    specimen = _specimen_edited(cast)
    stored = list(AuditEvent.objects.values_list("seq", "changes", "hash"))
    _trail(signed_in(cast.auditor), specimen)
    assert list(AuditEvent.objects.values_list("seq", "changes", "hash")) == stored
    assert PATIENT in "".join(c for _, c, _ in stored)
    assert chain.verify_chain().ok
