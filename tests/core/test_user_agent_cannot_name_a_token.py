"""Only the server names an API token in the trail: a client's User-Agent that starts
like the token marker is recorded as the client's own text (core/audit.py)."""

import pytest

from openqms.core import actions
from openqms.testing import PASSWORD, event_count, events_since

FORGED = ["[api token #1 abcd] curl/8", "  [API TOKEN #1 abcd]", "[api_token #1]", "api token"]


@pytest.mark.parametrize("agent", FORGED)
def test_a_session_client_cannot_name_a_token_in_its_user_agent(client, cast, agent):
    before = event_count()
    client.post(
        "/accounts/sign-in/",
        {"username": "author", "password": PASSWORD},
        HTTP_USER_AGENT=agent,
    )
    [event] = events_since(before)
    assert event.action == "core.auth.signed_in"
    assert event.user_agent == f"(user agent) {agent}"


def test_an_ordinary_user_agent_is_recorded_as_sent(client, cast):
    before = event_count()
    client.post(
        "/accounts/sign-in/",
        {"username": "author", "password": PASSWORD},
        HTTP_USER_AGENT="Mozilla/5.0 [en] (api token client)",
    )
    [event] = events_since(before)
    assert event.user_agent == "Mozilla/5.0 [en] (api token client)"


def test_through_a_token_the_real_token_comes_first_and_the_forgery_is_marked(client, cast):
    token, plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")
    before = event_count()
    response = client.post(
        "/api/v1/tokens",
        {"name": "second"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
        HTTP_USER_AGENT="[api token #999 zzzz]",
    )
    assert response.status_code == 201
    [event] = events_since(before)
    assert event.user_agent == (
        f"[api token #{token.pk} {token.prefix}] (user agent) [api token #999 zzzz]"
    )
