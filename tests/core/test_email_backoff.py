"""A queued email the mail server refuses is retried with back-off (1, 5, 15, 60 minutes,
then hourly) for as long as it takes: it is never given up."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail

pytestmark = pytest.mark.verifies("CORE-031")

NINE_AM = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _at(moment: dt.datetime):
    return mock.patch("openqms.core.mail.timezone.now", return_value=moment)


def test_each_failure_waits_longer_before_the_next_attempt_up_to_an_hour(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    moment = NINE_AM
    for failures, wait in enumerate([1, 5, 15, 60, 60, 60], start=1):
        with _at(moment):
            assert queue.send_queued() == "0 email(s) sent, 1 failed"
        email = QueuedEmail.objects.get()
        assert (email.failures, email.last_error) == (failures, "mail server down")
        assert email.next_attempt_at == moment + dt.timedelta(minutes=wait)
        with _at(email.next_attempt_at - dt.timedelta(seconds=1)):
            assert queue.send_queued() == "0 email(s) sent, 0 failed"  # not yet
        moment = email.next_attempt_at


def test_an_email_that_failed_many_times_goes_out_once_the_server_is_back(db):
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    QueuedEmail.objects.update(failures=40, next_attempt_at=NINE_AM, last_error="down")
    mail.outbox.clear()
    with _at(NINE_AM):
        assert queue.send_queued() == "1 email(s) sent, 0 failed"
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert QueuedEmail.objects.get().sent_at == NINE_AM
