"""A mail server that hangs or drops the connection stops the batch at the first message
(one timeout per tick, not one per email); the rest go back to the queue uncounted. A
message the server refuses by itself does not stop the others, a message whose claim
has passed to another tick is not sent twice, and a batch that has been sending for ten
minutes leaves the rest for the next tick (a fixed clock, no waiting)."""

import datetime as dt
import smtplib
from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail


class HungBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise TimeoutError("timed out")


class PickyBackend(BaseEmailBackend):
    sent: list = []

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["nobody@example.test"]:
                raise smtplib.SMTPRecipientsRefused({"nobody@example.test": (550, b"no")})
            self.sent.append(message.subject)
        return len(messages)


class OvertakenBackend(BaseEmailBackend):
    """While the first email is sent, another tick takes over the claim of the second."""

    sent: list = []

    def send_messages(self, messages):
        if not self.sent:
            QueuedEmail.objects.filter(subject="Email 1").update(claim_token="other")
        self.sent.extend(m.subject for m in messages)
        return len(messages)


class SlowBackend(BaseEmailBackend):
    """Each email takes six minutes on the clock the queue reads."""

    clock = [dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)]

    def send_messages(self, messages):
        self.clock[0] += dt.timedelta(minutes=6)
        return len(messages)


def _queue(*recipients: str) -> None:
    queue.queue((f"Email {n}", "Body.", [to]) for n, to in enumerate(recipients))


def test_a_timeout_stops_the_batch_and_leaves_the_rest_uncounted(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.HungBackend"
    _queue("a@example.test", "b@example.test", "c@example.test")
    assert queue.send_queued() == "0 email(s) sent, 1 failed, 2 left for the next tick"
    rows = list(QueuedEmail.objects.values_list("failures", "last_error", "claim_token"))
    assert rows == [(1, "timed out", ""), (0, "", ""), (0, "", "")]


def test_a_refused_recipient_does_not_stop_the_batch(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.PickyBackend"
    PickyBackend.sent = []
    _queue("a@example.test", "nobody@example.test", "c@example.test")
    assert queue.send_queued() == "2 email(s) sent, 1 failed"
    assert PickyBackend.sent == ["Email 0", "Email 2"]
    assert QueuedEmail.objects.get(subject="Email 1").failures == 1


def test_an_email_whose_claim_passed_to_another_tick_is_left_to_it(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.OvertakenBackend"
    OvertakenBackend.sent = []
    _queue("a@example.test", "b@example.test")
    assert queue.send_queued() == "1 email(s) sent, 0 failed"
    assert OvertakenBackend.sent == ["Email 0"]
    overtaken = QueuedEmail.objects.get(subject="Email 1")
    assert (overtaken.claim_token, overtaken.sent_at) == ("other", None)


def test_a_batch_starts_no_email_after_ten_minutes_of_sending(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    _queue("a@example.test", "b@example.test", "c@example.test", "d@example.test")
    clock = SlowBackend.clock
    with mock.patch("openqms.core.mail.timezone.now", side_effect=lambda: clock[0]):
        assert queue.send_queued() == "2 email(s) sent, 0 failed, 2 left for the next tick"
    unsent = QueuedEmail.objects.filter(sent_at__isnull=True)
    assert list(unsent.values_list("failures", "claim_token")) == [(0, ""), (0, "")]
