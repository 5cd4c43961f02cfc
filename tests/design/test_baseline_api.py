"""Baselines, reviews and changes over the API: the same actions as the pages; signed
with the password and the content hash read from GET; lists at constant queries; an
outsider meets 404."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.design.actions import baselines
from openqms.testing import PASSWORD, event_count
from tests.design.conftest import item


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/design{path}", query, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/v1/design{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.mark.verifies("DES-024", "DES-025", "DES-026")
def test_a_baseline_is_taken_compared_and_signed_over_the_api(client, cast, project):
    item(cast, project, "REQ-1", "design_input")
    author, qa = Api(client, cast.author), Api(client, cast.qa_lead)
    first = author.post(
        f"/projects/{project.pk}/baselines", {"name": "freeze", "kind": "design_freeze"}
    )
    assert first.status_code == 201, first.content
    item(cast, project, "REQ-2", "design_input")
    second = author.post(f"/projects/{project.pk}/baselines", {"name": "1.0", "kind": "release"})
    a, b = first.json()["id"], second.json()["id"]
    diff = author.get(f"/baselines/{a}/compare/{b}").json()
    assert [x[0] for x in diff["added"]] == ["REQ-2"]
    shown = qa.get(f"/baselines/{b}").json()
    signed = qa.post(
        f"/baselines/{b}/sign", {"password": PASSWORD, "content_hash": shown["content_sha256"]}
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed" and len(signed.json()["signatures"]) == 1
    assert author.get(f"/baselines/{b}/dhf.zip").status_code == 200


@pytest.mark.verifies("DES-025", refusal=True)
def test_signing_over_the_api_without_sign_is_refused(client, cast, project):
    item(cast, project, "REQ-1", "design_input")
    base = baselines.create_baseline(actor=cast.author, project=project, name="x", kind="other")
    author = Api(client, cast.author)
    shown = author.get(f"/baselines/{base.pk}").json()
    before = event_count()
    answer = author.post(
        f"/baselines/{base.pk}/sign",
        {"password": PASSWORD, "content_hash": shown["content_sha256"]},
    )
    assert answer.status_code == 403
    assert event_count() == before


@pytest.mark.verifies("DES-027", "DES-028")
def test_a_review_and_a_change_go_through_the_api(client, cast, project):
    item(cast, project, "REQ-1", "design_input")
    item(cast, project, "RISK-1", "risk")
    author = Api(client, cast.author)
    made = author.post(
        f"/projects/{project.pk}/reviews",
        {
            "title": "Inputs review",
            "participants": [cast.author.username],
            "independent_reviewer": cast.reviewer.username,
            "outcome": "passed",
            "items": ["REQ-1"],
            "findings": [{"text": "Add units.", "owner": cast.author.username}],
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert author.post(f"/reviews/{pk}/submit").json()["state"] == "signing"
    for user in (cast.author, cast.reviewer):
        api = Api(client, user)
        shown = api.get(f"/reviews/{pk}").json()
        answer = api.post(
            f"/reviews/{pk}/sign", {"password": PASSWORD, "content_hash": shown["content_sha256"]}
        )
        assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "complete"
    change = author.post(
        f"/projects/{project.pk}/changes",
        {
            "title": "Units",
            "description": "Add units to REQ-1.",
            "reason": "Review finding.",
            "affected_items": ["REQ-1"],
            "risk_items": ["RISK-1"],
        },
    )
    assert change.status_code == 201, change.content
    cpk = change.json()["id"]
    qa = Api(client, cast.qa_lead)
    shown = qa.get(f"/changes/{cpk}").json()
    assert (
        qa.post(
            f"/changes/{cpk}/approve",
            {"password": PASSWORD, "content_hash": shown["content_sha256"]},
        ).status_code
        == 200
    )
    done = author.post(f"/changes/{cpk}/done", {"baseline_name": "1.1"})
    assert done.json()["state"] == "done" and done.json()["new_baseline"]


@pytest.mark.verifies("DES-028")
def test_an_unknown_item_is_refused_with_its_name(client, cast, project):
    answer = Api(client, cast.author).post(
        f"/projects/{project.pk}/changes",
        {"title": "X", "description": "Y", "reason": "Z", "affected_items": ["REQ-404"]},
    )
    assert answer.status_code == 422 and "REQ-404" in answer.content.decode()


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404(client, cast, project):
    base = baselines.create_baseline(actor=cast.author, project=project, name="x", kind="other")
    outsider = Api(client, cast.outsider)
    assert outsider.get(f"/baselines/{base.pk}").status_code == 404
    assert outsider.get(f"/projects/{project.pk}/baselines").status_code == 404


@pytest.mark.verifies("DES-044")
def test_the_baseline_list_takes_the_same_queries_however_many(client, cast, project):
    api = Api(client, cast.auditor)

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert api.get(f"/projects/{project.pk}/baselines").status_code == 200
        return len(seen)

    baselines.create_baseline(actor=cast.author, project=project, name="b0", kind="other")
    queries()  # warm the per-process caches (the token's last use, roles)
    one = queries()
    for n in range(1, 6):
        baselines.create_baseline(actor=cast.author, project=project, name=f"b{n}", kind="other")
    assert queries() == one
