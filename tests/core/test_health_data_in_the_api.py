"""The API answers a health-data field with its value only to holders of the grant (the
read recorded), and with "Health data — hidden" to anyone else."""

from openqms.core import actions
from openqms.testing import changes_of, event_count
from tests.core.health_data import HIDDEN, PATIENT, reads, specimen_with_patient


def test_without_the_grant_the_field_is_hidden_and_nothing_is_recorded(client, cast):
    specimen = specimen_with_patient(cast)
    for person in (cast.author, cast.auditor):
        token = actions.create_api_token(actor=person, user=person, name="tests")[1]
        before = event_count()
        response = client.get(
            f"/api/v1/testapp/specimens/{specimen.pk}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200
        assert response.json()["patient_details"] == HIDDEN
        assert PATIENT not in response.content.decode()
        assert event_count() == before


def test_a_holder_gets_the_value_and_one_read_event(client, cast):
    specimen = specimen_with_patient(cast)
    token = actions.create_api_token(actor=cast.qa_lead, user=cast.qa_lead, name="tests")[1]
    before = event_count()
    response = client.get(
        f"/api/v1/testapp/specimens/{specimen.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json() == {
        "id": specimen.pk,
        "title": "Alarm fault",
        "state": "draft",
        "patient_details": PATIENT,
    }
    assert event_count() == before + 1
    (read,) = reads()
    assert (read.actor_id, read.object_id) == (cast.qa_lead.pk, str(specimen.pk))
    assert changes_of(read) == {"fields": ["patient_details"]}
