"""Sign-in throttling per address and per account; one event for unknown usernames."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.models import AuditEvent, User
from openqms.testing import PASSWORD, FastArgon2PasswordHasher, event_count, events_since

SAME_WORDS = "The username or password is not correct."


def _post(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def checks(monkeypatch):
    counted = []
    verify = FastArgon2PasswordHasher.verify

    def counting_verify(self, password, encoded):
        counted.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(FastArgon2PasswordHasher, "verify", counting_verify)
    return counted


def test_one_address_cannot_lock_an_administrator_out(client, cast, settings, checks):
    settings.LOCKOUT_THRESHOLD = 5
    responses = [_post(client, "admin", f"guess {n}") for n in range(10)]
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 6
    assert len(checks) == 4  # throttled requests check no password
    admin = User.objects.get(username="admin")
    assert not admin.is_locked() and admin.failed_sign_ins == 4
    # The administrator, from their own address, still signs in.
    assert _post(client, "admin", PASSWORD, address="203.0.113.20").status_code == 302


def test_a_throttled_address_is_recorded_once_per_window(client, cast, settings):
    settings.LOCKOUT_THRESHOLD = 5
    for n in range(4):
        _post(client, "admin", f"guess {n}")
    before = event_count()
    for n in range(5):
        response = _post(client, "admin", f"guess {n}")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.ip) == ("core.auth.throttled", None, "198.51.100.7")


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
