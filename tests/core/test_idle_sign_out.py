"""An idle session is signed out at its next request, and the sign-out is audited."""

import time

import pytest

from openqms.testing import PASSWORD, event_count, events_since

pytestmark = pytest.mark.verifies("CORE-013")


def test_an_idle_timeout_sign_out_is_audited_with_the_person(client, cast, settings):
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    before = event_count()
    response = client.get("/audit/")
    assert response["Location"] == "/accounts/sign-in/?next=/audit/"
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.object_id) == (
        "core.auth.idle_signed_out",
        cast.author.pk,
        str(cast.author.pk),
    )
    assert "_auth_user_id" not in client.session


def test_activity_within_the_idle_time_keeps_the_session(client, cast, settings):
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_SECONDS + 60
    session.save()
    before = event_count()
    assert client.get("/").status_code == 200
    assert event_count() == before
