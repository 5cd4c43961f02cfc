"""API tokens: the second factor where a role requires it, expiry, and the trail names
the token; deactivation and lockout end sessions and tokens for good."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from openqms.core import actions
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused
from openqms.core.models import ApiToken, Role, User
from openqms.testing import (
    api_post,
    code_for,
    enrol_totp,
    event_count,
    events_since,
    last_event,
)


def _get(client, path, token):
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def second_factor_role(cast):
    Role.objects.filter(code="approver").update(requires_second_factor=True)
    return cast.approver


def test_a_member_of_a_second_factor_role_gets_no_token_until_enrolled(cast, second_factor_role):
    before = event_count()
    with pytest.raises(PermissionRefused, match="second factor"):
        actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")
    assert not ApiToken.objects.exists() and event_count() == before


def test_a_token_made_before_the_role_required_a_second_factor_stops_working(client, cast):
    token = actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")[1]
    assert _get(client, "/me", token).status_code == 200
    Role.objects.filter(code="approver").update(requires_second_factor=True)
    assert _get(client, "/me", token).status_code == 401
    enrol_totp(cast.approver)
    assert _get(client, "/me", token).status_code == 200


def test_creating_a_token_asks_for_the_second_factor(cast, second_factor_role):
    device = enrol_totp(cast.approver)
    with pytest.raises(InvalidInput, match="authenticator"):
        actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")
    token, _ = actions.create_api_token(
        actor=cast.approver,
        user=cast.approver,
        name="ci",
        otp_code=code_for(device, offset_steps=1),
    )
    assert token.is_active


@pytest.mark.verifies("CORE-018", refusal=True)
def test_tokens_expire_after_the_configured_days(client, cast, settings):
    settings.TOKEN_DAYS = 30
    token, plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert _get(client, "/me", plaintext).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _get(client, "/me", plaintext).status_code == 401


def test_the_expiry_is_shown_on_the_profile_and_by_the_command(signed_in, cast):
    token, _ = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")
    expiry = f"{timezone.localtime(token.expires_at):%-d %b %Y}"
    assert expiry in signed_in(cast.author).get("/profile/").content.decode()
    assert expiry in signed_in(cast.author).get("/profile/tokens/").content.decode()
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "author", stdout=out, stderr=err)
    assert out.getvalue().startswith("oqms_")
    assert "Expires " in err.getvalue()


@pytest.mark.verifies("CORE-018")
def test_every_event_written_through_a_token_names_the_token(client, cast):
    token, plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")
    before = event_count()
    response = api_post(client, "/tokens", {"name": "second"}, plaintext)
    assert response.status_code == 201
    [event] = events_since(before)
    assert event.user_agent.startswith(f"[api token #{token.pk} {token.prefix}]")


@pytest.mark.verifies("CORE-018", refusal=True)
def test_deactivation_ends_sessions_and_revokes_tokens_for_good(client, signed_in, cast):
    plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")[1]
    session = signed_in(cast.author)
    assert session.get("/").status_code == 200
    actions.deactivate_user(actor=cast.admin, user=cast.author, reason="Left")
    actions.reactivate_user(actor=cast.admin, user=cast.author, reason="Came back")
    assert session.get("/")["Location"].startswith("/accounts/sign-in/")
    assert _get(client, "/me", plaintext).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    revoked = [e for e in events_since(0) if e.action == "core.token.revoked"]
    assert [(e.actor_id, e.reason) for e in revoked] == [
        (cast.admin.pk, "The account was deactivated.")
    ]


@pytest.mark.verifies("CORE-018", refusal=True)
def test_lockout_ends_sessions_and_revokes_tokens(client, signed_in, cast, settings):
    settings.LOCKOUT_THRESHOLD = 2
    plaintext = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")[1]
    session = signed_in(cast.author)
    for _ in range(2):
        with pytest.raises(DomainError):
            actions.authenticate_password_for_signing(user=cast.author, password="wrong")
    assert User.objects.get(pk=cast.author.pk).is_locked()
    assert session.get("/")["Location"].startswith("/accounts/sign-in/")
    assert _get(client, "/me", plaintext).status_code == 401
    actions.unlock_user(actor=cast.admin, user=cast.author, reason="It was them")
    assert _get(client, "/me", plaintext).status_code == 401
    assert last_event().action == "core.user.unlocked"
