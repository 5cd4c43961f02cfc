import datetime as dt
import re

import pytest

from openqms.core import actions
from openqms.core.models import ApiToken, Role, User, fingerprint
from openqms.testing import PASSWORD, api_post, changes_of, event_count, events_since


@pytest.fixture
def token_for(cast):
    def make(user):
        return actions.create_api_token(actor=user, user=user, name="tests")[1]

    return make


def _get(client, path, token=None, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", headers=headers, **kw)


def test_me_with_a_bearer_token(client, cast, token_for):
    response = _get(client, "/me", token_for(cast.qa_lead))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "qa-lead"
    assert body["full_name"] == "Quinn Avery"
    assert body["roles"] == ["qa_lead"]
    assert body["permissions"] == sorted(Role.objects.get(code="qa_lead").permissions)
    assert "core.audit:read" in body["permissions"]
    assert body["second_factor"] is False


def test_no_token_is_401_json(client, db):
    response = _get(client, "/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoked_token_is_refused(client, cast, token_for):
    token = token_for(cast.author)
    actions.revoke_api_token(actor=cast.author, token=ApiToken.objects.get(user=cast.author))
    assert _get(client, "/me", token).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, cast, token_for):
    token = token_for(cast.trainee)
    actions.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left")
    assert _get(client, "/me", token).status_code == 401


def test_token_is_stored_hashed_and_creation_is_audited(cast):
    before = event_count()
    token, plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="CI")
    assert plaintext.startswith("oqms_")
    assert plaintext not in token.token_hash
    [event] = events_since(before)
    assert event.action == "core.token.created"
    assert plaintext not in event.changes
    assert changes_of(event) == {
        "user": [None, "author"],
        "name": [None, "CI"],
        "prefix": [None, token.prefix],
        "expires_at": [
            None,
            token.expires_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        ],
        "token_fingerprint": fingerprint(token.token_hash),
    }


def test_session_works_for_the_api_too(client, cast):
    client.force_login(cast.author)
    assert client.get("/api/v1/me").json()["username"] == "author"


def test_audit_events_are_filtered_and_paged(client, cast, token_for):
    token = token_for(cast.auditor)
    response = _get(
        client, "/audit/events", token, data={"action": "core.user.created", "limit": 3}
    )
    body = response.json()
    assert response.status_code == 200
    assert [e["action"] for e in body["items"]] == ["core.user.created"] * 3
    assert body["items"][0]["seq"] > body["items"][1]["seq"]
    next_page = _get(
        client,
        "/audit/events",
        token,
        data={"action": "core.user.created", "limit": 3, "before": body["next_before"]},
    ).json()
    assert next_page["items"][0]["seq"] < body["items"][2]["seq"]
    seen = {e["seq"] for e in body["items"]} | {e["seq"] for e in next_page["items"]}
    assert len(seen) == 6


def test_audit_events_are_hidden_from_people_without_the_right(client, cast, token_for):
    response = _get(client, "/audit/events", token_for(cast.outsider))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_invalid_query_is_422_with_the_field_named(client, cast, token_for):
    response = _get(client, "/audit/events", token_for(cast.auditor), data={"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "limit" in body["fields"]


def test_chain_status(client, cast, token_for):
    body = _get(client, "/audit/chain", token_for(cast.auditor)).json()
    assert body["ok"] is True
    assert body["checked"] == body["last_seq"] > 0


def test_administrator_creates_a_user_over_the_api(client, cast, token_for):
    token = token_for(cast.admin)
    response = api_post(
        client,
        "/users",
        {
            "username": "api-made",
            "full_name": "Api Made",
            "password": PASSWORD,
            "roles": ["author"],
        },
        token,
    )
    assert response.status_code == 201
    assert response.json()["roles"] == ["author"]
    assert User.objects.get(username="api-made").full_name == "Api Made"


def test_bad_user_input_is_422_and_nothing_is_written(client, cast, token_for):
    token = token_for(cast.admin)
    users, before = User.objects.count(), event_count()
    response = api_post(
        client, "/users", {"username": "author", "full_name": "X", "password": PASSWORD}, token
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"username": "Taken."}
    response = api_post(
        client,
        "/users",
        {"username": "ok-name", "full_name": "X", "password": PASSWORD, "roles": ["wizard"]},
        token,
    )
    assert response.status_code == 422 and response.json()["fields"] == {"role": "Unknown role."}
    response = api_post(client, "/users", {"username": 5}, token)
    assert response.status_code == 422
    assert User.objects.count() == users and event_count() == before


def test_non_json_body_is_a_clear_error_not_a_crash(client, cast, token_for):
    response = client.post(
        "/api/v1/users",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(cast.admin)}"},
    )
    assert 400 <= response.status_code < 500
    assert "code" in response.json()


def test_role_grant_and_deactivate_over_the_api(client, cast, token_for):
    token = token_for(cast.admin)
    response = api_post(
        client, "/users/author/roles", {"role": "reviewer", "reason": "Cover"}, token
    )
    assert response.status_code == 200 and response.json()["roles"] == ["author", "reviewer"]
    response = api_post(client, "/users/author/roles/reviewer/revoke", {"reason": "Back"}, token)
    assert response.json()["roles"] == ["author"]
    response = api_post(client, "/users/trainee/deactivate", {"reason": "Left"}, token)
    assert response.json()["is_active"] is False
    response = api_post(client, "/users/trainee/deactivate", {"reason": ""}, token)
    assert response.status_code == 422


def test_outsider_cannot_reach_user_endpoints(client, cast, token_for):
    token = token_for(cast.outsider)
    before = event_count()
    for response in (
        _get(client, "/users", token),
        _get(client, "/users/author", token),
        _get(client, "/roles", token),
        api_post(
            client, "/users", {"username": "x1", "full_name": "X", "password": PASSWORD}, token
        ),
        api_post(client, "/users/author/roles", {"role": "administrator", "reason": "me"}, token),
        api_post(client, "/users/author/deactivate", {"reason": "me"}, token),
    ):
        assert response.status_code == 404, response.content
    assert event_count() == before


def test_own_tokens_over_the_api(client, cast, token_for):
    token = token_for(cast.author)
    created = api_post(client, "/tokens", {"name": "laptop"}, token)
    assert created.status_code == 201 and created.json()["token"].startswith("oqms_")
    listed = _get(client, "/tokens", token).json()
    assert {t["name"] for t in listed} == {"tests", "laptop"}
    other = actions.create_api_token(actor=cast.reviewer, user=cast.reviewer, name="r")[0]
    assert api_post(client, f"/tokens/{other.pk}/revoke", {}, token).status_code == 404
    revoked = api_post(client, f"/tokens/{created.json()['id']}/revoke", {}, token)
    assert revoked.json()["revoked_at"] is not None


def test_openapi_document_lists_the_endpoints(client, cast):
    client.force_login(cast.author)
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/audit/events", "/api/v1/audit/chain", "/api/v1/users"} <= set(
        spec["paths"]
    )


def test_interactive_docs_need_sign_in(client, cast):
    anonymous = client.get("/api/v1/docs")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    client.force_login(cast.author)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    # Assets come from our own /static/, never a CDN. (The page embeds a random CSRF token,
    # which may spell "cdn" by chance: look at the addresses, not the whole page.)
    sources = re.findall(rb'(?:src|href)="([^"]*)"', page.content)
    assert sources and all(source.startswith(b"/static/") for source in sources), sources
