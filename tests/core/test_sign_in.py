import datetime as dt
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from openqms.core.models import QueuedEmail, User
from openqms.testing import (
    PASSWORD,
    changes_of,
    code_for,
    enrol_totp,
    event_count,
    events_since,
    last_event,
)


def _post_sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail_from_many_addresses(client, username, times):
    """Each failure in a throttle window of its own: within one window the throttle
    answers 429 before an account can lock (test_throttling.py)."""
    for i in range(times):
        with mock.patch("openqms.core.throttle._window", return_value=1000 + i):
            response = _post_sign_in(
                client, username, "wrong-wrong-wrong", address=f"10.0.0.{i + 1}"
            )
    return response


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/audit/")


def test_sign_in_page_is_reachable_without_signing_in(client, db):
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


@pytest.mark.verifies("CORE-011")
def test_correct_password_signs_in_and_is_audited(client, cast):
    before = event_count()
    response = _post_sign_in(client, "author", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"] == cast.author
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.object_id) == (
        "core.auth.signed_in",
        cast.author.pk,
        str(cast.author.pk),
    )
    assert event.ip == "127.0.0.1"


@pytest.mark.verifies("CORE-011", refusal=True)
def test_wrong_password_is_refused_with_a_plain_message_and_audited(client, cast):
    before = event_count()
    response = _post_sign_in(client, "author", "not the password")
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    [event] = events_since(before)
    assert event.action == "core.auth.sign_in_failed"
    # Whoever typed is unknown: no actor, the username typed and the address instead.
    assert (event.actor_id, event.object_id) == (None, str(cast.author.pk))
    assert changes_of(event) == {"failed_sign_ins": [0, 1], "username": "author"}
    assert event.ip == "127.0.0.1"
    cast.author.refresh_from_db()
    assert cast.author.failed_sign_ins == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.verifies("CORE-011", refusal=True)
def test_unknown_username_gets_the_same_message_and_is_audited(client, cast):
    before = event_count()
    response = _post_sign_in(client, "nobody", "whatever-password")
    assert "The username or password is not correct." in response.content.decode()
    [event] = events_since(before)
    assert event.action == "core.auth.sign_in_failed"
    assert event.actor_id is None
    assert (event.object_type, event.object_id) == ("core.sign_in", "nobody")
    assert changes_of(event)["username"] == "nobody"


def test_a_password_typed_as_a_username_is_not_kept_in_the_trail(client, cast):
    before = event_count()
    _post_sign_in(client, "Secret Pass phrase!", "whatever-password")
    [event] = events_since(before)
    assert "Secret" not in event.changes + event.object_id + event.actor_name
    assert event.object_id == "(not a valid username)"


def test_deactivated_user_cannot_sign_in(client, cast):
    User.objects.filter(pk=cast.trainee.pk).update(is_active=False)
    response = _post_sign_in(client, "trainee", PASSWORD)
    assert "The username or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_failed_sign_in_on_a_deactivated_account_is_recorded_against_it(client, cast):
    User.objects.filter(pk=cast.trainee.pk).update(is_active=False)
    before = event_count()
    _post_sign_in(client, "trainee", "wrong-wrong-wrong")
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.actor_name) == (
        "core.auth.sign_in_failed",
        None,
        "unknown person (failed sign-in)",
    )
    assert (event.object_type, event.object_id) == ("core.user", str(cast.trainee.pk))
    assert changes_of(event) == {"username": "trainee", "account": "deactivated"}
    assert User.objects.get(pk=cast.trainee.pk).failed_sign_ins == 0


@pytest.mark.verifies("CORE-010")
@override_settings(LOCKOUT_THRESHOLD=3)
def test_repeated_failures_lock_the_account_and_alert_administrators(client, cast):
    response = _fail_from_many_addresses(client, "author", 3)
    assert "locked" in response.content.decode()
    cast.author.refresh_from_db()
    assert cast.author.is_locked()
    assert last_event().action == "core.user.locked"
    [alert] = QueuedEmail.objects.all()  # sent by `openqms tick` (test_lockout_email.py)
    assert alert.recipients == ["admin@example.test"]
    assert "author" in alert.subject


@pytest.mark.verifies("CORE-010", refusal=True)
@override_settings(LOCKOUT_THRESHOLD=2)
def test_locked_account_refuses_even_the_right_password(client, cast):
    _fail_from_many_addresses(client, "author", 2)
    before = event_count()
    response = _post_sign_in(client, "author", PASSWORD)
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    [event] = events_since(before)  # Part 11 §11.300(d): the attempt is on record
    assert (event.action, event.actor_id) == ("core.auth.refused_while_locked", None)
    assert event.object_id == str(cast.author.pk)
    cast.author.refresh_from_db()
    assert cast.author.failed_sign_ins == 2


@override_settings(LOCKOUT_THRESHOLD=2)
def test_success_resets_the_failure_count(client, cast):
    _fail_from_many_addresses(client, "author", 1)
    _post_sign_in(client, "author", PASSWORD, address="10.0.0.9")
    cast.author.refresh_from_db()
    assert cast.author.failed_sign_ins == 0


def test_enrolled_user_must_give_a_code(client, cast):
    device = enrol_totp(cast.approver)
    response = _post_sign_in(client, "approver", PASSWORD)
    assert response["Location"] == "/accounts/sign-in/code/"
    assert "_auth_user_id" not in client.session
    before = event_count()
    response = client.post("/accounts/sign-in/code/", {"code": code_for(device, offset_steps=1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.approver.pk)
    assert client.session["second_factor_ok"] is True
    assert [e.action for e in events_since(before)] == ["core.auth.signed_in"]


def test_wrong_code_is_refused_and_audited(client, cast):
    enrol_totp(cast.approver)
    _post_sign_in(client, "approver", PASSWORD)
    before = event_count()
    response = client.post("/accounts/sign-in/code/", {"code": "000000"})
    assert "The authenticator code is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert [e.action for e in events_since(before)] == ["core.auth.second_factor_failed"]


def test_code_page_without_a_password_step_goes_back_to_sign_in(client, cast):
    response = client.get("/accounts/sign-in/code/")
    assert response["Location"] == "/accounts/sign-in/"


def test_sign_out_is_audited_and_needs_post(client, cast):
    client.force_login(cast.author)
    assert client.get("/accounts/sign-out/").status_code == 405
    before = event_count()
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == "/accounts/sign-in/"
    assert [e.action for e in events_since(before)] == ["core.auth.signed_out"]


def test_next_url_to_another_site_is_ignored(client, cast):
    response = client.post(
        "/accounts/sign-in/?next=https://evil.example/",
        {"username": "author", "password": PASSWORD},
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("username", ["", "x" * 64])
def test_malformed_form_is_refused_without_an_event(client, cast, username):
    before = event_count()
    response = client.post("/accounts/sign-in/", {"username": username, "password": ""})
    assert response.status_code == 200
    assert event_count() == before


def test_an_idle_session_expires_and_sends_the_user_back_to_sign_in(client, cast):
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_each_request_pushes_the_idle_deadline_forward(client, cast, settings):
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(seconds=5))
    client.get("/")
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert remaining > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
