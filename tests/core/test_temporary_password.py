"""A password someone else set is temporary: changed first, and it signs nothing."""

import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openqms.core import actions
from openqms.core.errors import ReauthenticationFailed
from openqms.core.models import Signature, User, fingerprint
from openqms.testing import PASSWORD, api_post, changes_of, event_count, events_since, last_event

TEMPORARY = "temporary pass phrase 42"
OWN = "my very own pass phrase 7"


def _sign_in(client, username, password):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


@pytest.fixture
def reset_approver(cast):
    actions.set_password(
        actor=cast.admin, user=cast.approver, new_password=TEMPORARY, reason="Forgot it"
    )
    cast.approver.refresh_from_db()
    return cast.approver


def test_an_administrators_reset_is_temporary_and_audited(cast, reset_approver):
    event = last_event()
    assert (event.action, event.actor_id, event.object_id) == (
        "core.user.password_set",
        cast.admin.pk,
        str(cast.approver.pk),
    )
    assert changes_of(event) == {
        "must_change_password": [False, True],
        "password_fingerprint": fingerprint(reset_approver.password),
    }
    assert reset_approver.must_change_password


def test_after_a_reset_the_first_page_is_the_password_change(client, reset_approver):
    response = _sign_in(client, "approver", TEMPORARY)
    assert response["Location"] == "/accounts/password/"
    for path in ("/", "/profile/", "/audit/"):
        assert client.get(path)["Location"] == "/accounts/password/"
    response = client.get("/api/v1/me")
    assert (response.status_code, response.json()["code"]) == (403, "password_change_required")


def test_a_temporary_password_cannot_sign(reset_approver):
    before = event_count()
    with pytest.raises(ReauthenticationFailed, match="temporary"):
        actions.authenticate_password_for_signing(user=reset_approver, password=TEMPORARY)
    assert event_count() == before and not Signature.objects.exists()


def test_a_temporary_password_opens_no_api_token(client, cast):
    token = actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")[1]
    actions.set_password(
        actor=cast.admin, user=cast.approver, new_password=TEMPORARY, reason="Forgot it"
    )
    response = api_post(client, "/tokens", {"name": "more"}, token)
    assert response.status_code == 401


def test_choosing_ones_own_password_lifts_the_restriction(client, reset_approver):
    _sign_in(client, "approver", TEMPORARY)
    before = event_count()
    response = client.post("/accounts/password/", {"old_password": TEMPORARY, "new_password": OWN})
    assert response["Location"] == "/"
    [event] = events_since(before)
    assert event.action == "core.user.password_changed"
    reset_approver.refresh_from_db()
    assert changes_of(event) == {
        "must_change_password": [True, False],
        "password_fingerprint": fingerprint(reset_approver.password),
    }
    assert client.get("/").status_code == 200
    actions.authenticate_password_for_signing(user=reset_approver, password=OWN)


def test_a_user_created_by_an_administrator_must_change_the_first_password(client, cast):
    actions.create_user(
        actor=cast.admin, username="new-starter", full_name="Nia Starter", password=TEMPORARY
    )
    assert _sign_in(client, "new-starter", TEMPORARY)["Location"] == "/accounts/password/"


def test_the_last_passwords_cannot_be_reused(cast, settings):
    settings.PASSWORD_HISTORY = 3
    first, second = "first pass phrase 11", "second pass phrase 22"
    actions.change_own_password(actor=cast.author, old_password=PASSWORD, new_password=first)
    actions.change_own_password(actor=cast.author, old_password=first, new_password=second)
    before = event_count()
    for old in (PASSWORD, first):
        with pytest.raises(Exception, match="not used recently"):
            actions.change_own_password(actor=cast.author, old_password=second, new_password=old)
    assert event_count() == before
    cast.author.refresh_from_db()
    assert cast.author.check_password(second)


def test_a_password_older_than_the_maximum_age_must_be_changed(client, cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=cast.author.pk).update(
        password_changed_at=cast.author.password_changed_at.replace(year=2000)
    )
    assert _sign_in(client, "author", PASSWORD)["Location"] == "/accounts/password/"
    settings.PASSWORD_MAX_AGE_DAYS = 0  # off by default: nothing is forced
    assert client.get("/").status_code == 200


def _changepassword(*args, stdin):
    sys_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("changepassword", *args, stdout=io.StringIO())
    finally:
        sys.stdin = sys_stdin


def test_the_changepassword_command_sets_a_temporary_password_and_is_audited(cast):
    _changepassword(
        "approver", "--reason", "Locked out at night", "--password-stdin", stdin=TEMPORARY + "\n"
    )
    approver = User.objects.get(username="approver")
    assert approver.check_password(TEMPORARY) and approver.must_change_password
    event = last_event()
    assert (event.action, event.actor_id, event.reason) == (
        "core.user.password_set",
        None,
        "Locked out at night",
    )
    assert event.actor_name.startswith("system (openqms changepassword")


def test_the_changepassword_command_needs_a_reason(cast):
    with pytest.raises(CommandError):
        _changepassword("approver", "--password-stdin", stdin=TEMPORARY + "\n")


def _createuser(username, *flags):
    out = io.StringIO()
    sys_stdin, sys.stdin = sys.stdin, io.StringIO(TEMPORARY + "\n")
    try:
        call_command(
            "createuser",
            username,
            "--full-name",
            "Nia Hire",
            *flags,
            "--password-stdin",
            stdout=out,
        )
    finally:
        sys.stdin = sys_stdin
    return out.getvalue()


def test_createuser_for_anyone_after_the_first_user_sets_a_temporary_password(cast):
    before = event_count()
    out = _createuser("new-hire")
    user = User.objects.get(username="new-hire")
    assert user.must_change_password
    assert "The password is temporary" in out
    [created] = events_since(before)
    assert created.action == "core.user.created" and created.actor_id is None
    assert changes_of(created)["must_change_password"] == [None, True]


def test_the_first_user_at_the_console_keeps_their_own_password(db):
    assert not User.objects.exists()
    out = _createuser("first-admin")
    assert not User.objects.get(username="first-admin").must_change_password
    assert "temporary" not in out


def test_createuser_temporary_makes_even_the_first_users_password_temporary(db):
    _createuser("first-admin", "--temporary")
    assert User.objects.get(username="first-admin").must_change_password
