"""The administrators' lockout alert goes through the email queue, with an absolute link,
and survives a mail outage (it used to be sent on commit with fail_silently)."""

from unittest import mock

from django.core import mail
from django.test import override_settings

from openqms.core.mail import send_queued
from openqms.core.models import QueuedEmail
from openqms.testing import PASSWORD


def _lock_out(client, username="author", attempts=3):
    # Each failure in a throttle window of its own: within one window the throttle
    # answers 429 before an account can lock (test_throttling.py).
    for i in range(attempts):
        with mock.patch("openqms.core.throttle._window", return_value=1000 + i):
            client.post(
                "/accounts/sign-in/",
                {"username": username, "password": "wrong-wrong"},
                REMOTE_ADDR=f"10.0.0.{i + 1}",
            )


@override_settings(LOCKOUT_THRESHOLD=3, BASE_URL="https://qms.example.com")
def test_a_lockout_queues_an_alert_with_an_absolute_link_to_the_account(client, cast):
    mail.outbox.clear()
    _lock_out(client)
    assert mail.outbox == []  # nothing leaves inside the request
    [alert] = QueuedEmail.objects.all()
    assert alert.recipients == ["admin@example.test"]
    assert alert.subject == "OpenQMS: account author locked"
    assert "https://qms.example.com/admin/users/author/" in alert.body
    assert send_queued() == "1 email(s) sent, 0 failed"
    assert [m.to for m in mail.outbox] == [["admin@example.test"]]


@override_settings(LOCKOUT_THRESHOLD=3)
def test_a_lockout_alert_waits_out_a_mail_outage(client, cast, settings):
    _lock_out(client)
    settings.EMAIL_BACKEND = "tests.training.test_assignment_emails.BrokenBackend"
    assert send_queued() == "0 email(s) sent, 1 failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    retry_at = QueuedEmail.objects.get().next_attempt_at
    with mock.patch("openqms.core.mail.timezone.now", return_value=retry_at):
        assert send_queued() == "1 email(s) sent, 0 failed"
    assert mail.outbox[0].subject == "OpenQMS: account author locked"


@override_settings(LOCKOUT_THRESHOLD=3)
def test_a_right_password_queues_no_alert(client, cast):
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    assert not QueuedEmail.objects.exists()
