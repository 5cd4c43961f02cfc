"""Right passwords in flight never lock an account (Part 11 §11.300(d)).

Each attempt claims one failure before its secret is checked and a right secret gives
it back; when as many claims as the lockout threshold are in flight, a further attempt
is refused unchecked ("busy, try again"), and only a checked failure can lock.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from openqms.core import actions
from openqms.core.actions import auth
from openqms.core.errors import AccountLocked, DomainError, Throttled
from openqms.core.models import ApiToken, User
from openqms.testing import (
    PASSWORD,
    FastArgon2PasswordHasher,
    changes_of,
    event_count,
    events_since,
    make_cast,
)
from tests.core.test_lockout_race import _in_parallel


def _live_tokens(user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def test_a_signing_beyond_five_in_flight_is_refused_as_busy_and_locks_nothing(cast, settings):
    settings.LOCKOUT_THRESHOLD = 5
    actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")
    for _ in range(5):  # five right-password signings in flight: claimed, not yet released
        assert auth._claim_attempt(cast.approver, "core.auth.signing_failed", "approver") is None
    before = event_count()
    with pytest.raises(Throttled, match="at once"):
        actions.authenticate_password_for_signing(user=cast.approver, password=PASSWORD)
    approver = User.objects.get(pk=cast.approver.pk)
    assert not approver.is_locked() and approver.failed_sign_ins == 5
    assert _live_tokens(approver) == 1
    [event] = events_since(before)  # the refusal is on record, against the account
    assert (event.action, event.actor_id, event.object_id) == (
        "core.auth.refused_busy",
        approver.pk,
        str(approver.pk),
    )
    assert changes_of(event) == {"attempt": "core.auth.signing_failed", "in_flight": 5}
    for _ in range(5):  # the five in flight were right: each gives its claim back
        auth._release_attempt(approver)
    actions.authenticate_password_for_signing(user=approver, password=PASSWORD)
    assert User.objects.get(pk=approver.pk).failed_sign_ins == 0


def test_a_sign_in_beyond_five_in_flight_is_refused_unchecked(cast, settings, monkeypatch):
    settings.LOCKOUT_THRESHOLD = 5
    for _ in range(5):
        assert auth._claim_attempt(cast.author, "core.auth.signing_failed", "author") is None
    checked = []
    monkeypatch.setattr(FastArgon2PasswordHasher, "verify", lambda *a: checked.append(a))
    with pytest.raises(Throttled):
        actions.authenticate(username="author", password=PASSWORD)
    assert checked == [] and not User.objects.get(pk=cast.author.pk).is_locked()


def test_the_fifth_checked_failure_still_locks(cast, settings):
    settings.LOCKOUT_THRESHOLD = 5
    for _ in range(4):
        assert auth._claim_attempt(cast.approver, "core.auth.signing_failed", "approver") is None
    with pytest.raises(DomainError):
        actions.authenticate_password_for_signing(user=cast.approver, password="wrong")
    assert User.objects.get(pk=cast.approver.pk).is_locked()


@pytest.mark.parametrize("claimed_minutes_ago", [11, None])
def test_claims_a_stopped_server_left_at_the_threshold_lock_the_account(
    cast, settings, claimed_minutes_ago
):
    """Not refused as busy for ever: claims older than any request count as failures."""
    settings.LOCKOUT_THRESHOLD = 5
    claimed = None
    if claimed_minutes_ago is not None:
        claimed = timezone.now() - dt.timedelta(minutes=claimed_minutes_ago)
    User.objects.filter(pk=cast.approver.pk).update(failed_sign_ins=5, attempt_claimed_at=claimed)
    before = event_count()
    with pytest.raises(AccountLocked):
        actions.authenticate_password_for_signing(user=cast.approver, password=PASSWORD)
    approver = User.objects.get(pk=cast.approver.pk)
    assert approver.is_locked()
    actions_seen = [e.action for e in events_since(before)]
    assert actions_seen[0] == "core.user.locked"
    assert actions_seen[-1] == "core.auth.refused_while_locked"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_twenty_parallel_right_signing_passwords_never_lock_the_account(flushable_db, settings):
    cast = make_cast()
    settings.LOCKOUT_THRESHOLD = 5
    actions.create_api_token(actor=cast.approver, user=cast.approver, name="ci")
    results = _in_parallel(
        lambda n: actions.authenticate_password_for_signing(user=cast.approver, password=PASSWORD)
    )
    assert all(r is None or isinstance(r, Throttled) for r in results), results
    approver = User.objects.get(pk=cast.approver.pk)
    assert not approver.is_locked() and approver.failed_sign_ins == 0
    assert _live_tokens(approver) == 1
