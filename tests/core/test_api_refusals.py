"""Every API endpoint refuses the outsider, and API errors are JSON whatever went wrong."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions
from openqms.testing import PASSWORD, api_post, event_count

# Your own things, and the version (every signed-in client may read it).
OWN = {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}/revoke", "/api/v1/version"}
BODY = {
    "type": "procedure",
    "title": "T",
    "body": "x",
    "change_reason": "mine now",
    "reason": "mine now",
    "role": "administrator",
    "username": "zz-top",
    "full_name": "Z",
    "password": PASSWORD,
    "name": "n",
    "based_on": "0" * 64,
    "reviewers": ["reviewer"],
    "approvers": ["approver"],
    "due_date": "2099-01-01",
    "text": "t",
    "reply": "r",
    "person": "reviewer",
    "owner": "author",
}


def _operations(client):
    client.force_login(
        actions.create_user(actor=None, username="spec-reader", full_name="S", password=PASSWORD)
    )
    spec = client.get("/api/v1/openapi.json").json()
    client.logout()
    for path, methods in spec["paths"].items():
        if path in OWN or path.startswith("/api/v1/testapp/"):
            continue
        for method in methods:
            # Numeric ids ("…_id") as a number, so the refusal is access, not a bad path.
            yield method, re.sub(r"\{[^}]+\}", _stand_in, path)


def _stand_in(match: re.Match) -> str:
    return "1" if match.group(0).endswith("_id}") else "author"


@pytest.mark.verifies("CORE-015", refusal=True)
def test_every_endpoint_refuses_the_outsider_and_writes_nothing(client, cast):
    token = actions.create_api_token(actor=cast.outsider, user=cast.outsider, name="t")[1]
    operations = list(_operations(client))
    assert len(operations) >= 9
    before = event_count()
    for method, path in operations:
        response = client.generic(
            method.upper(),
            path,
            json.dumps(BODY),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    assert event_count() == before


def test_unknown_paths_and_methods_answer_json(client, cast):
    token = actions.create_api_token(actor=cast.admin, user=cast.admin, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    missing = client.get("/api/v1/no/such/thing", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong = client.delete("/api/v1/me", headers=headers)
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_extreme_dates_are_answered_not_crashed(client, cast, query):
    token = actions.create_api_token(actor=cast.auditor, user=cast.auditor, name="t")[1]
    response = client.get(
        "/api/v1/audit/events", query, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    client.force_login(cast.auditor)
    assert client.get("/audit/", query).status_code == 200


def test_huge_offset_is_422(client, cast):
    token = actions.create_api_token(actor=cast.admin, user=cast.admin, name="t")[1]
    response = client.get(
        "/api/v1/users", {"offset": 2**70}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422


def test_a_nul_character_never_gives_a_500(client, cast):
    token = actions.create_api_token(actor=cast.admin, user=cast.admin, name="t")[1]
    before = event_count()
    response = api_post(client, "/users/trainee/deactivate", {"reason": "x\u0000y"}, token)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert event_count() == before
        cast.trainee.refresh_from_db()
        assert cast.trainee.is_active
    response = client.get(
        "/api/v1/audit/events", {"user": "a\u0000"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 422)


def test_api_audit_list_query_count_does_not_grow_with_rows(client, cast):
    token = actions.create_api_token(actor=cast.auditor, user=cast.auditor, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/audit/events", headers=headers)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/audit/events", {"limit": 5}, headers=headers)
    for i in range(30):
        actions.create_api_token(actor=cast.auditor, user=cast.auditor, name=f"more {i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/audit/events", {"limit": 40}, headers=headers).json()
    assert len(body["items"]) == 40
    assert len(many) == len(few)
