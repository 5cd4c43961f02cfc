"""A locked or deactivated account can neither sign in, nor sign, nor use a token; the
refusal comes before any password is checked."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import actions
from openqms.core.errors import AccountLocked, ReauthenticationFailed, SignInFailed
from openqms.core.models import User
from openqms.core.signatures import Credentials, reauthenticate
from openqms.testing import PASSWORD


def _get_me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.verifies("CORE-010", refusal=True)
def test_a_locked_account_cannot_sign_in_sign_or_use_a_token(client, cast, checks):
    token = actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")[1]
    User.objects.filter(pk=cast.approver.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=5)
    )
    approver = User.objects.get(pk=cast.approver.pk)
    with pytest.raises(SignInFailed):
        actions.authenticate(username="approver", password=PASSWORD)
    with pytest.raises(AccountLocked):
        reauthenticate(signer=approver, credentials=Credentials(PASSWORD))
    assert _get_me(client, token).status_code == 401
    assert checks == []


@pytest.mark.verifies("CORE-014", refusal=True)
def test_a_deactivated_account_cannot_sign_in_sign_or_use_a_token(client, cast, checks):
    token = actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")[1]
    User.objects.filter(pk=cast.approver.pk).update(is_active=False)
    approver = User.objects.get(pk=cast.approver.pk)
    with pytest.raises(SignInFailed):
        actions.authenticate(username="approver", password=PASSWORD)
    with pytest.raises(ReauthenticationFailed, match="deactivated"):
        reauthenticate(signer=approver, credentials=Credentials(PASSWORD))
    assert _get_me(client, token).status_code == 401
    assert checks == []


def test_a_lapsed_lock_lets_one_attempt_through_and_a_failure_locks_again(cast, settings):
    settings.LOCKOUT_THRESHOLD = 3
    User.objects.filter(pk=cast.author.pk).update(
        failed_sign_ins=3, locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(SignInFailed):
        actions.authenticate(username="author", password="wrong again")
    assert User.objects.get(pk=cast.author.pk).is_locked()
    actions.unlock_user(actor=cast.admin, user=cast.author, reason="It was them")
    assert actions.authenticate(username="author", password=PASSWORD) == cast.author
