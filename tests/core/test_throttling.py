"""Sign-in throttling per address and per account; one event for unknown usernames."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core.cache import caches
from django.utils import timezone

from openqms.core import actions, audit, throttle
from openqms.core.errors import DomainError, SignInFailed, Throttled
from openqms.core.models import AuditEvent, User
from openqms.testing import (
    PASSWORD,
    FastArgon2PasswordHasher,
    changes_of,
    event_count,
    events_since,
)

SAME_WORDS = "The username or password is not correct."


def _post(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def from_address():
    """Direct calls, as from a request from 198.51.100.7."""
    token = audit.set_origin(audit.Origin(ip="198.51.100.7"))
    yield
    audit.reset_origin(token)


def _next_window():
    return mock.patch.object(throttle, "_window", return_value=throttle._window() + 1)


@pytest.mark.verifies("CORE-012")
def test_one_address_cannot_lock_an_administrator_out(client, cast, settings, checks):
    settings.LOCKOUT_THRESHOLD = 5
    responses = [_post(client, "admin", f"guess {n}") for n in range(10)]
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 6
    assert len(checks) == 4  # throttled requests check no password
    admin = User.objects.get(username="admin")
    assert not admin.is_locked() and admin.failed_sign_ins == 4
    # In the next window the administrator signs in.
    with _next_window():
        assert _post(client, "admin", PASSWORD, address="203.0.113.20").status_code == 302


def test_five_addresses_cannot_lock_an_administrator_out(client, cast, settings, checks):
    settings.LOCKOUT_THRESHOLD = 5
    responses = [_post(client, "admin", f"guess {n}", address=f"10.1.0.{n}") for n in range(8)]
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 4
    assert "Too many failed sign-ins for this username" in responses[-1].content.decode()
    assert len(checks) == 4
    admin = User.objects.get(username="admin")
    assert not admin.is_locked() and admin.failed_sign_ins == 4


def test_five_overlapping_requests_from_one_address_cannot_lock_an_administrator_out(
    cast, settings, monkeypatch, from_address
):
    """Each request is counted before its password is checked, so the fifth, arriving
    while the first four are still being checked, is refused unchecked."""
    settings.LOCKOUT_THRESHOLD = 5
    verify = FastArgon2PasswordHasher.verify
    outcomes = []

    def overlapping(self, password, encoded):
        # While this request's password is being checked, the next request arrives.
        if len(outcomes) < 4:
            outcomes.append("arrived")
            try:
                actions.authenticate(username="admin", password=f"guess {len(outcomes)}")
            except DomainError as exc:
                outcomes.append(type(exc).__name__)
        return verify(self, password, encoded)

    monkeypatch.setattr(FastArgon2PasswordHasher, "verify", overlapping)
    with pytest.raises(SignInFailed):
        actions.authenticate(username="admin", password="guess 0")
    assert outcomes == ["arrived"] * 4 + ["Throttled"] + ["SignInFailed"] * 3
    admin = User.objects.get(username="admin")
    assert not admin.is_locked() and admin.failed_sign_ins == 4


def test_a_right_password_gives_its_count_back(cast, settings, from_address):
    settings.LOCKOUT_THRESHOLD = 5
    for n in range(3):
        with pytest.raises(SignInFailed):
            actions.authenticate(username="author", password=f"guess {n}")
    for _ in range(3):
        actions.authenticate(username="author", password=PASSWORD)
    with pytest.raises(SignInFailed):  # the fourth failure is still checked
        actions.authenticate(username="author", password="guess 3")
    with pytest.raises(Throttled):
        actions.authenticate(username="author", password=PASSWORD)


def test_the_lockout_is_reached_across_windows(client, cast, settings):
    settings.LOCKOUT_THRESHOLD = 5
    for n in range(4):
        _post(client, "author", f"guess {n}", address=f"10.1.0.{n}")
    with _next_window():
        assert _post(client, "author", "guess 4", address="10.1.0.9").status_code == 200
    assert User.objects.get(username="author").is_locked()


def test_a_throttled_address_is_recorded_once_per_window(client, cast, settings):
    settings.THROTTLE_ATTEMPTS = 4
    for n in range(4):
        _post(client, f"someone-{n}", "guess")
    before = event_count()
    for n in range(5):
        response = _post(client, "admin", f"guess {n}")
    assert response.status_code == 429
    assert "Too many failed sign-ins from your address" in response.content.decode()
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.ip) == ("core.auth.throttled", None, "198.51.100.7")
    assert changes_of(event) == {"sign_ins_counted_for_address": 4, "minutes": 15}


def test_a_throttled_account_is_recorded_once_per_window(client, cast, settings):
    settings.LOCKOUT_THRESHOLD = 5
    for n in range(4):
        _post(client, "admin", f"guess {n}", address=f"10.1.0.{n}")
    before = event_count()
    for n in range(5):
        response = _post(client, "admin", f"guess {n}", address=f"10.2.0.{n}")
    assert response.status_code == 429
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.object_id) == ("core.auth.throttled", None, "admin")
    assert changes_of(event) == {"sign_ins_counted_for_account": 4, "minutes": 15}


def test_with_the_file_cache_parallel_claims_are_counted_exactly(cast, settings, tmp_path):
    settings.LOCKOUT_THRESHOLD = 5
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    assert type(caches["default"]).__name__ == "FileBasedCache"
    barrier = threading.Barrier(12)
    claims = []

    def claim(n):
        barrier.wait()
        claims.append(throttle.claim(f"10.3.0.{n}", "admin"))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(c.refused for c in claims) == [""] * 4 + ["account"] * 8


@pytest.mark.verifies("CORE-012", refusal=True)
def test_an_address_is_throttled_after_too_many_failures_on_any_usernames(client, cast, settings):
    settings.THROTTLE_ATTEMPTS = 6
    for n in range(6):
        _post(client, f"someone-{n}", "guess")
    assert _post(client, "author", PASSWORD).status_code == 429
    assert _post(client, "author", PASSWORD, address="203.0.113.21").status_code == 302


def test_failed_sign_ins_for_unknown_usernames_are_one_event_per_address_and_window(client, cast):
    before = event_count()
    for name in ("nobody", "root", "administrator"):
        _post(client, name, "guess")
    _post(client, "guest", "guess", address="203.0.113.22")
    first, other_address = events_since(before)
    assert (first.action, first.object_id, first.ip) == (
        "core.auth.sign_in_failed",
        "nobody",
        "198.51.100.7",
    )
    assert (other_address.object_id, other_address.ip) == ("guest", "203.0.113.22")


def test_unknown_user_wrong_password_and_locked_account_get_the_same_words(client, cast):
    User.objects.filter(username="trainee").update(
        failed_sign_ins=5, locked_until=timezone.now() + dt.timedelta(minutes=5)
    )
    pages = [
        _post(client, "nobody", "guess", address="203.0.113.1"),
        _post(client, "author", "guess", address="203.0.113.2"),
        _post(client, "trainee", PASSWORD, address="203.0.113.3"),
    ]

    def message(page):
        html = page.content.decode()
        return html[html.index(SAME_WORDS) : html.index(SAME_WORDS) + 160]

    assert message(pages[0]) == message(pages[1]) == message(pages[2])
    assert AuditEvent.objects.filter(action="core.auth.refused_while_locked").count() == 1
