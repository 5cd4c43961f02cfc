"""The scope over the API: draft, edit, submit, approve with the password in the body,
put in force, certify; the notification's steps; refusals with stable codes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.qms.actions import scope as actions
from openqms.qms.models import Certificate, ScopeNotification, ScopeVersion
from openqms.testing import PASSWORD, event_count

from .scope_world import Api, certificate, certified_v1_and_v2_in_force, family

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-009")
def test_the_whole_lifecycle_over_the_api(cast, client):
    family("HR-SW")
    qa, manager = Api(client, cast.qa_lead), Api(client, cast.manager)
    assert qa.post("/scope").status_code == 201
    response = qa.put(
        "/scope/1",
        {
            "statement": "Rhythm software.",
            "families": ["HR-SW"],
            "exclusions": [
                {"clause": "7.5.7", "kind": "not_applicable", "what": "x", "justification": "y"}
            ],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["families"] == ["HR-SW"]
    assert qa.post("/scope/1/steps/submit").json()["state"] == "in_approval"
    shown = manager.get("/scope/1").json()
    assert shown["steps"] == ["approve", "return"]
    response = manager.post(
        "/scope/1/approve", {"password": PASSWORD, "content_hash": shown["content_sha256"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["signatures"][0]["meaning"] == "approved_scope"
    assert qa.post("/scope/1/steps/put_in_force").json()["state"] == "in_force"
    cert = certificate()
    response = qa.post(
        "/scope/1/certify",
        {"certificate_id": cert.pk, "certified_on": timezone.localdate().isoformat()},
    )
    assert response.json()["certified_on"] == timezone.localdate().isoformat()
    assert [r["number"] for r in qa.get("/scope").json()] == [1]


@pytest.mark.verifies("QMS-009", refusal=True)
def test_refusals_have_stable_codes_and_change_nothing(cast, client):
    qa, author = Api(client, cast.qa_lead), Api(client, cast.author)
    qa.post("/scope")
    before = event_count()
    assert author.put("/scope/1", {"statement": "x"}).json()["code"] == "not_found"
    bad = qa.put("/scope/1", {"statement": "x", "families": ["NOPE"]})
    assert (bad.status_code, bad.json()["fields"]) == (422, {"families": "Unknown."})
    assert qa.post("/scope/1/steps/put_in_force").json()["code"] == "transition_not_allowed"
    assert qa.post("/scope/1/steps/approve").status_code == 409
    assert qa.get("/scope/99").status_code == 404
    assert event_count() == before
    assert ScopeVersion.objects.get().statement == ""


def test_the_notification_over_the_api_and_the_certify_refusal(cast, client):
    certified_v1_and_v2_in_force(cast)
    qa = Api(client, cast.qa_lead)
    pk = ScopeNotification.objects.get().pk
    today = timezone.localdate().isoformat()
    cert = Certificate.objects.get().pk
    refused = qa.post("/scope/2/certify", {"certificate_id": cert, "certified_on": today})
    assert refused.json()["code"] == "transition_not_allowed"
    sent = qa.post(f"/scope-notifications/{pk}/sent", {"sent_on": today, "reference": "AB-9"})
    assert sent.json()["state"] == "sent"
    answer = {"answer": "no_reassessment", "answered_on": today, "answer_text": "Assessed."}
    assert qa.post(f"/scope-notifications/{pk}/answer", answer).json()["state"] == "answered"
    assert qa.get("/scope/2").json()["notification"]["answer"] == "no_reassessment"


def test_a_required_reassessment_is_recorded_over_the_api_before_certifying(cast, client):
    certified_v1_and_v2_in_force(cast)
    qa = Api(client, cast.qa_lead)
    pk = ScopeNotification.objects.get().pk
    today = timezone.localdate().isoformat()
    cert = Certificate.objects.get().pk
    qa.post(f"/scope-notifications/{pk}/sent", {"sent_on": today, "reference": "AB-9"})
    answer = {"answer": "required", "answered_on": today, "answer_text": "Stage 2 visit."}
    assert qa.post(f"/scope-notifications/{pk}/answer", answer).json()["state"] == "answered"
    certify = {"certificate_id": cert, "certified_on": today}
    before = event_count()
    assert qa.post("/scope/2/certify", certify).json()["code"] == "transition_not_allowed"
    assert event_count() == before
    done = {"reassessed_on": today, "reassessment": "Report AB-9/R: no findings."}
    reassessed = qa.post(f"/scope-notifications/{pk}/reassessed", done).json()
    assert reassessed["reassessment"] == "Report AB-9/R: no findings."
    assert reassessed["reassessed_on"] == today
    assert qa.post("/scope/2/certify", certify).status_code == 200


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/scope").status_code == 200
    return len(queries)


def test_the_version_list_keeps_a_constant_number_of_queries(cast, client):
    from .scope_world import drafted, in_force

    api = Api(client, cast.auditor)
    in_force(cast, drafted(cast))
    api.get("/scope")  # the token's first use is recorded once
    few = _list_queries(api)
    for _ in range(3):
        in_force(cast, actions.start_scope_version(actor=cast.qa_lead))
    assert _list_queries(api) == few
