"""`openqms tick` exits non-zero while an email keeps failing (five failures or more), on
every run until it goes out, without adding a core.job.failed event at every run."""

from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail
from openqms.testing import event_count, events_since


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _tick_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("tick", stdout=StringIO(), stderr=err)
    assert str(failure.value) == "1 job(s) failed: core: queued emails"
    return err.getvalue()


def test_the_tick_that_reaches_the_fifth_failure_exits_non_zero(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    QueuedEmail.objects.update(failures=4)
    before = event_count()
    said = _tick_fails()
    assert "0 email(s) sent, 1 failed; 1 email(s) failed 5 times or more" in said
    said_events = [e.action for e in events_since(before) if e.action != "core.integrity.checked"]
    assert said_events == ["core.email.failing"]


def test_the_tick_keeps_failing_until_the_email_goes_out(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    QueuedEmail.objects.update(failures=5)
    before = event_count()
    _tick_fails()
    _tick_fails()  # in back-off: nothing tried, still reported
    # reported once already, no core.job.failed (only the daily integrity check's result)
    assert [e.action for e in events_since(before)] == ["core.integrity.checked"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    QueuedEmail.objects.update(next_attempt_at=None)
    out = StringIO()
    call_command("tick", stdout=out)
    assert "core: queued emails: 1 email(s) sent, 0 failed" in out.getvalue()


def test_fewer_than_five_failures_leave_the_tick_clean(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    out = StringIO()
    call_command("tick", stdout=out)
    assert "core: queued emails: 0 email(s) sent, 1 failed" in out.getvalue()
