"""Two ticks at once send each queued email exactly once: a tick claims its rows first
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE on SQLite) and sends
only what it claimed."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections
from django.utils import timezone

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail


def _queue(count: int) -> None:
    queue.queue((f"Email {n}", "Body.", [f"person{n}@example.test"]) for n in range(count))


def test_an_email_another_tick_is_sending_is_skipped(db):
    _queue(2)
    busy = QueuedEmail.objects.first()
    QueuedEmail.objects.filter(pk=busy.pk).update(claimed_at=timezone.now(), claim_token="other")
    mail.outbox.clear()
    assert queue.send_queued() == "1 email(s) sent, 0 failed"
    assert [m.subject for m in mail.outbox] == ["Email 1"]
    busy.refresh_from_db()
    assert (busy.sent_at, busy.claim_token) == (None, "other")


def test_an_email_whose_tick_died_is_sent_once_its_claim_expires(db):
    _queue(1)
    long_ago = timezone.now() - queue.CLAIM_EXPIRY - dt.timedelta(minutes=1)
    QueuedEmail.objects.update(claimed_at=long_ago, claim_token="dead")
    mail.outbox.clear()
    assert queue.send_queued() == "1 email(s) sent, 0 failed"
    sent = QueuedEmail.objects.get()
    assert sent.sent_at is not None
    assert (sent.claimed_at, sent.claim_token) == (None, "")


def test_a_tick_claims_no_more_than_its_batch_oldest_first(db):
    _queue(3)
    mail.outbox.clear()
    assert queue.send_queued(limit=2) == "2 email(s) sent, 0 failed"
    assert [m.subject for m in mail.outbox] == ["Email 0", "Email 1"]
    assert QueuedEmail.objects.filter(claim_token="").count() == 3  # no claim left behind


def test_a_sent_email_is_never_sent_again(db):
    _queue(1)
    assert queue.send_queued() == "1 email(s) sent, 0 failed"
    assert queue.send_queued() == "0 email(s) sent, 0 failed"


class _MeetingBackend(BaseEmailBackend):
    """Sends into a shared list, but only once both ticks are sending at the same time,
    so each has claimed its rows before either finishes."""

    barrier: threading.Barrier
    sent: list

    def open(self):
        self.barrier.wait(timeout=60)  # a guard against a hang, not a timing assertion

    def close(self):
        pass

    def send_messages(self, messages):
        self.sent.extend(m.subject for m in messages)
        return len(messages)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent ticks need PostgreSQL")
def test_two_ticks_at_once_send_each_email_exactly_once(flushable_db, settings, monkeypatch):
    _queue(10)
    settings.EMAIL_BACKEND = f"{__name__}._MeetingBackend"
    _MeetingBackend.barrier, _MeetingBackend.sent = threading.Barrier(2), []
    monkeypatch.setattr(queue, "BATCH", 5)  # each tick takes at most half the queue
    said, start = [], threading.Barrier(2)

    def tick():
        try:
            start.wait(timeout=60)
            said.append(queue.send_queued())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert said == ["5 email(s) sent, 0 failed"] * 2
    assert sorted(_MeetingBackend.sent) == sorted(f"Email {n}" for n in range(10))
    assert QueuedEmail.objects.filter(sent_at__isnull=True).count() == 0
