"""The API refuses what it cannot take with a clear 4xx, never a 500: an edit naming a
field the action does not take, health data changed by someone who may not read it,
and list filters with ids past the database's integer."""

import pytest

from openqms.core.models import Role
from openqms.events.models import Complaint
from openqms.events.registry import MANAGE
from openqms.testing import event_count

from .complaints_setup import open_complaint
from .test_complaints_api import Api

HUGE = "99999999999999999999"


@pytest.fixture
def qa(client, cast):
    return Api(client, cast.qa_lead)


@pytest.mark.verifies("EVT-043")
@pytest.mark.parametrize("name", ["reason", "actor", "complaint", "state"])
def test_an_edit_naming_a_field_the_action_does_not_take_is_refused(cast, device, qa, name):
    complaint = open_complaint(cast, device)
    before = event_count()
    refused = qa.send("patch", f"/complaints/{complaint.pk}", {"fields": {name: "x"}})
    assert refused.status_code == 422
    assert name in refused.content.decode()
    assert event_count() == before


@pytest.mark.verifies("EVT-005", refusal=True)
def test_health_data_is_not_changed_by_someone_who_may_not_read_it(cast, device, client):
    complaint = open_complaint(cast, device)
    role = Role.objects.get(code="management")
    role.permissions = sorted({*role.permissions, MANAGE})
    role.save(update_fields=["permissions"])
    manager = Api(client, cast.manager)
    before = event_count()
    for field in ("patient_details", "patient_outcome"):
        refused = manager.send(
            "patch", f"/complaints/{complaint.pk}", {"fields": {field: "Male, 68."}}
        )
        assert refused.status_code == 403
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.patient_details, stored.patient_outcome) == ("", "")
    assert event_count() == before
    allowed = manager.send("patch", f"/complaints/{complaint.pk}", {"fields": {"lot": "L-1"}})
    assert allowed.status_code == 200


@pytest.mark.verifies("EVT-043")
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/feedback", "device"),
        ("/complaints", "device"),
        ("/capas", "device"),
        ("/fscas", "device"),
        ("/nonconformities", "device"),
        ("/nonconformities", "supplier"),
        ("/pms/reports", "device"),
        ("/trend-reports", "device_id"),
        ("/incident-reports", "complaint"),
    ],
)
def test_a_list_filter_id_past_the_database_integer_is_refused_not_a_server_error(
    cast, qa, path, name
):
    refused = qa.get(path, **{name: HUGE})
    assert refused.status_code == 422
    assert name in refused.content.decode()
    assert qa.get(path, **{name: "2147483647"}).status_code == 200
