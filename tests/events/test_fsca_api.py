"""FSCAs over the API: the same actions as the pages, the closure signed with the
password and the content hash the GET answered."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.testing import PASSWORD, event_count


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/events{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/events{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def qa(client, cast):
    return Api(client, cast.qa_lead)


def _create(qa, device, **more):
    body = {
        "title": "Applicator recall",
        "reason": "Adhesive.",
        "user_actions": "Return.",
        "devices": [{"device": device.pk, "identifiers": "Lot A1-2611"}],
        "markets": [{"market": "gb", "units_affected": 500, "users_affected": 40}],
        **more,
    }
    response = qa.send("post", "/fscas", body)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.verifies("EVT-015", "EVT-016", "EVT-018")
def test_an_fsca_goes_from_planned_to_closed_over_the_api(qa, class_i_device):
    made = _create(qa, class_i_device)
    pk = made["id"]
    refused = qa.send("post", f"/fscas/{pk}/start", {"started_at": "2026-03-03T10:00:00Z"})
    assert refused.status_code == 409 and "MHRA must be told" in refused.content.decode()
    body = {"notified_at": "2026-03-02T10:00:00Z", "reference": "M-1"}
    assert qa.send("post", f"/fscas/{pk}/mhra", body).json()["state"] == "notified"
    started = qa.send("post", f"/fscas/{pk}/start", {"started_at": "2026-03-03T10:00:00Z"})
    assert started.json()["state"] == "in_progress"
    market = started.json()["markets"][0]["id"]
    body = {"market": market, "reached_on": "2026-03-04", "units_reached": 400}
    reconciled = qa.send("post", f"/fscas/{pk}/reconciliation", body).json()
    assert (reconciled["units_reached"], reconciled["percent_reached"]) == (400, 80)
    count = event_count()
    sign = {"password": PASSWORD, "content_hash": reconciled["content_hash"]}
    refused = qa.send("post", f"/fscas/{pk}/close", sign)
    assert refused.status_code == 422 and event_count() == count
    closed = qa.send("post", f"/fscas/{pk}/close", sign | {"closure_justification": "Used up."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed" and closed.json()["signatures"]


def test_the_list_is_paged_and_filtered(qa, class_i_device):
    for n in range(3):
        _create(qa, class_i_device, title=f"Recall {n}")
    _create(qa, class_i_device, urgent=True, urgency_justification="Now.")
    page = qa.get("/fscas", limit=2).json()
    assert len(page["items"]) == 2 and page["next_offset"] == 2
    urgent = qa.get("/fscas", urgent=True).json()["items"]
    assert [f["urgent"] for f in urgent] == [True]


@pytest.mark.verifies("EVT-015")
def test_bad_input_names_the_field_and_writes_nothing(qa, class_i_device):
    count = event_count()
    response = qa.send(
        "post", "/fscas", {"title": "x", "reason": "y", "user_actions": "z", "urgent": True}
    )
    assert response.status_code == 422
    assert "urgency_justification" in response.content.decode()
    assert event_count() == count


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404(client, cast, class_i_device, qa):
    made = _create(qa, class_i_device)
    outsider = Api(client, cast.outsider)
    assert outsider.get(f"/fscas/{made['id']}").status_code == 404
    assert outsider.get("/fscas").status_code == 404
