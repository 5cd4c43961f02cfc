"""Parallel wrong passwords cannot outrun the lockout (Part 11 §11.300(d), PostgreSQL).

The failure count is claimed under the account's row lock before the password is
checked, so however many attempts arrive at once, at most LOCKOUT_THRESHOLD passwords
are ever evaluated. The checks are counted by wrapping the password hasher.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import actions, chain, throttle
from openqms.core.errors import AccountLocked, DomainError
from openqms.core.models import AuditEvent, User
from openqms.core.signatures import Credentials, reauthenticate
from openqms.testing import PASSWORD, enrol_totp, make_cast

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
THREADS = 20


def _in_parallel(attempt, count=THREADS):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = attempt(n)
        except Exception as exc:  # the outcome under test
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_twenty_parallel_wrong_passwords_at_sign_in_check_at_most_the_threshold(
    flushable_db, settings, checks
):
    make_cast()
    settings.LOCKOUT_THRESHOLD = 5
    results = _in_parallel(
        lambda n: actions.authenticate(username="author", password=f"wrong password {n}")
    )
    assert all(isinstance(r, DomainError) for r in results)
    assert len(checks) <= 5
    author = User.objects.get(username="author")
    assert author.is_locked() and author.failed_sign_ins == 5
    assert chain.verify_chain().ok


def test_twenty_parallel_wrong_signing_passwords_check_at_most_the_threshold_and_the_account_cannot_sign(  # noqa: E501
    flushable_db, settings, checks
):
    cast = make_cast()
    settings.LOCKOUT_THRESHOLD = 5
    results = _in_parallel(
        lambda n: actions.authenticate_password_for_signing(
            user=cast.approver, password=f"wrong password {n}"
        )
    )
    assert all(isinstance(r, DomainError) for r in results)
    assert len(checks) <= 5
    approver = User.objects.get(pk=cast.approver.pk)
    assert approver.is_locked()
    checked = len(checks)
    with pytest.raises(AccountLocked):
        reauthenticate(signer=approver, credentials=Credentials(PASSWORD))
    assert len(checks) == checked  # refused before the password was even looked at


def test_the_right_password_during_a_race_is_answered_and_audited_never_a_500(
    flushable_db, settings, monkeypatch
):
    make_cast()
    # The race under test is the database's: the per-account throttle (which would answer
    # most of these 429 first, test_throttling.py) is out of the way.
    monkeypatch.setattr(throttle, "_per_account_limit", lambda: THREADS)
    settings.LOCKOUT_THRESHOLD = 5
    author = User.objects.get(username="author")
    before = AuditEvent.objects.count()

    def attempt(n):
        password = PASSWORD if n == THREADS - 1 else f"wrong password {n}"
        return Client().post(
            "/accounts/sign-in/",
            {"username": "author", "password": password},
            REMOTE_ADDR=f"10.9.0.{n + 1}",
        )

    responses = _in_parallel(attempt)
    assert all(not isinstance(r, Exception) for r in responses), responses
    # 429: refused unchecked while as many attempts as the threshold were in flight.
    assert {r.status_code for r in responses} <= {200, 302, 429}
    events = AuditEvent.objects.order_by("seq")[before:]
    refusals = {"core.auth.refused_while_locked", "core.auth.refused_busy"}
    right = [
        e
        for e in events
        if e.object_id == str(author.pk)
        and (
            e.action == "core.auth.signed_in"
            or (e.action in refusals and e.ip == f"10.9.0.{THREADS}")
        )
    ]
    assert len(right) == 1  # the right password either signed in or was refused on record
    assert chain.verify_chain().ok


def test_twenty_parallel_wrong_codes_check_at_most_the_threshold(
    flushable_db, settings, monkeypatch
):
    cast = make_cast()
    enrol_totp(cast.approver)
    settings.LOCKOUT_THRESHOLD = 5
    counted = []
    verify_token = TOTPDevice.verify_token

    def counting_verify_token(self, token):
        counted.append(token)
        return verify_token(self, token)

    monkeypatch.setattr(TOTPDevice, "verify_token", counting_verify_token)
    results = _in_parallel(
        lambda n: actions.verify_second_factor(
            user=cast.approver, code=f"{n:06d}", action="core.auth.second_factor_failed"
        )
    )
    assert all(isinstance(r, DomainError) for r in results)
    assert len(counted) <= 5
    assert User.objects.get(pk=cast.approver.pk).is_locked()
