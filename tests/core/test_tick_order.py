"""`openqms tick` runs the jobs in their declared order, not alphabetically: what the
other jobs queue (reminders) is sent by the email job at the end of the same tick."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from openqms.core import mail as queue
from openqms.core import modules
from openqms.core.modules import LAST, Job, Module


def _reminder() -> str:
    queue.queue([("A reminder", "Your training is due.", ["trainee@example.test"])])
    return "1 reminder queued"


def test_jobs_run_in_their_declared_order(db):
    ran = []
    ordered = Module(
        label="ordered",
        jobs=[
            Job("a: second", lambda: ran.append("a") or "", order=2),
            Job("b: first", lambda: ran.append("b") or "", order=1),
        ],
    )
    with modules.temporarily(ordered):
        call_command("tick", stdout=StringIO())
    assert ran == ["b", "a"]


def test_a_reminder_queued_by_a_job_is_sent_in_the_same_tick(db):
    mail.outbox.clear()
    reminders = Module(label="zzz", jobs=[Job("zzz: reminders", _reminder, order=40)])
    out = StringIO()
    with modules.temporarily(reminders):
        call_command("tick", stdout=out)
    assert [m.subject for m in mail.outbox] == ["A reminder"]
    assert out.getvalue().splitlines()[-1] == "core: queued emails: 1 email(s) sent, 0 failed"


def test_the_email_job_is_declared_last():
    [last] = modules.jobs()[-1:]
    assert (last.name, last.order) == ("core: queued emails", LAST)
