"""A record's page shows its health data only to holders of core.health_data:read, and
every holder's view is recorded (ISO 13485 4.2.5)."""

import pytest

from openqms.testing import changes_of, event_count
from tests.core.health_data import HIDDEN, PATIENT, reads, specimen_with_patient


def test_a_role_without_the_grant_sees_hidden_and_nothing_is_recorded(signed_in, cast):
    specimen = specimen_with_patient(cast)
    before = event_count()
    for person in (cast.author, cast.auditor, cast.approver):
        html = signed_in(person).get(f"/specimens/{specimen.pk}/").content.decode()
        assert PATIENT not in html
        assert HIDDEN in html
    assert event_count() == before


@pytest.mark.verifies("CORE-027")
def test_a_holders_view_shows_the_value_and_writes_exactly_one_read_event(signed_in, cast):
    specimen = specimen_with_patient(cast)
    before = event_count()
    html = signed_in(cast.qa_lead).get(f"/specimens/{specimen.pk}/").content.decode()
    assert PATIENT in html and HIDDEN not in html
    assert event_count() == before + 1
    (read,) = reads()
    assert (read.actor_id, read.object_type, read.object_id) == (
        cast.qa_lead.pk,
        "testapp.specimen",
        str(specimen.pk),
    )
    assert changes_of(read) == {"fields": ["patient_details"]}


def test_every_view_is_a_read_of_its_own(signed_in, cast):
    specimen = specimen_with_patient(cast)
    client = signed_in(cast.qa_lead)
    client.get(f"/specimens/{specimen.pk}/")
    client.get(f"/specimens/{specimen.pk}/")
    assert len(reads()) == 2
