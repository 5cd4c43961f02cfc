"""Feedback and complaints over the API: the same actions as the pages, signatures with
the password and the content hash in the body, refusals with stable codes."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.events.models import Complaint, Feedback
from openqms.testing import PASSWORD, event_count

from .complaints_setup import SERIOUS, final_report_submitted


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


FEEDBACK = {
    "title": "Missed AF",
    "source": "clinician",
    "received_at": "2026-03-02 09:30",
    "description": "Not flagged.",
}


@pytest.mark.verifies("EVT-001", "EVT-006", "EVT-008")
def test_a_complaint_is_logged_classified_decided_and_closed_over_the_api(cast, device, qa):
    made = qa.send("post", "/feedback", FEEDBACK)
    assert made.status_code == 201
    pk = made.json()["id"]
    classified = qa.send(
        "post",
        f"/feedback/{pk}/classify",
        {"complaint": True, "device": device.pk, "what_happened": "Missed"},
    ).json()
    cid = classified["complaint_id"]
    edited = qa.send(
        "patch",
        f"/complaints/{cid}",
        {
            "fields": {
                "investigation": "i",
                "root_cause": "r",
                "capa_needed": False,
                "capa_reason": "c",
                "reply": "y",
            }
        },
    )
    assert edited.status_code == 200
    shown = edited.json()["content_sha256"]
    sign = {"password": PASSWORD, "content_hash": shown}
    decided = qa.send(
        "post", f"/complaints/{cid}/decide", SERIOUS | sign | {"rationale": "Admitted"}
    )
    assert decided.status_code == 200
    [decision] = decided.json()["decisions"]
    assert (decision["category"], decision["in_force"]) == ("death_or_unanticipated", True)
    assert decision["signatures"][0]["meaning"] == "reportability_decided"
    final_report_submitted(cast, Complaint.objects.get(pk=cid))  # vigilance's guard on closing
    closed = qa.send("post", f"/complaints/{cid}/close", sign | {"closure_note": ""})
    assert (closed.status_code, closed.json()["state"]) == (200, "closed")
    listed = qa.get("/complaints", reportable="true").json()
    assert [c["id"] for c in listed["items"]] == [cid]


@pytest.mark.verifies("EVT-001")
def test_not_a_complaint_over_the_api_needs_a_reason(cast, qa):
    pk = qa.send("post", "/feedback", FEEDBACK).json()["id"]
    before = event_count()
    refused = qa.send("post", f"/feedback/{pk}/classify", {"complaint": False})
    assert refused.status_code == 422
    assert event_count() == before
    assert (
        qa.send("post", f"/feedback/{pk}/classify", {"complaint": False, "reason": "Wish"}).json()[
            "classification"
        ]
        == "not_complaint"
    )


@pytest.mark.verifies("EVT-007", refusal=True)
def test_the_author_cannot_decide_over_the_api(cast, device, client, qa):
    pk = qa.send("post", "/feedback", FEEDBACK).json()["id"]
    cid = qa.send(
        "post",
        f"/feedback/{pk}/classify",
        {"complaint": True, "device": device.pk, "what_happened": "x"},
    ).json()["complaint_id"]
    author = Api(client, cast.author)
    before = event_count()
    refused = author.send(
        "post", f"/complaints/{cid}/decide", SERIOUS | {"password": PASSWORD, "rationale": "x"}
    )
    assert refused.status_code == 403
    assert event_count() == before and not Complaint.objects.get().decisions.exists()


@pytest.mark.verifies("EVT-038", refusal=True)
def test_the_outsider_meets_404(cast, client):
    outsider = Api(client, cast.outsider)
    assert outsider.get("/feedback").status_code == 404
    assert Feedback.objects.count() == 0
