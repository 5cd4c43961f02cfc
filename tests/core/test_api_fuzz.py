"""Bad input never crashes the API: any JSON body gets a 2xx or a 4xx with a JSON error."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.core import actions
from tests.strategies import json_bodies

JSON = json_bodies(
    ["username", "full_name", "password", "roles", "reason", "role", "name", "email", "x"]
)
POSTS = [
    "/users",
    "/users/author/roles",
    "/users/author/roles/author/revoke",
    "/users/author/deactivate",
    "/users/nobody/unlock",
    "/tokens",
]


@pytest.fixture
def admin_token(cast):
    return actions.create_api_token(actor=cast.admin, user=cast.admin, name="fuzz")[1]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(POSTS), body=JSON)
def test_any_json_body_gets_a_clear_answer(client, admin_token, path, body):
    response = client.post(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["limit", "before", "since", "until", "user", "action", "object_id"]),
        st.text(max_size=12),
        max_size=4,
    )
)
def test_any_audit_query_gets_a_clear_answer(client, admin_token, query):
    response = client.get(
        "/api/v1/audit/events", query, headers={"Authorization": f"Bearer {admin_token}"}
    )
    assert response.status_code in (200, 422), response.content
