"""`openqms tick` runs each job on its own: a failing job is recorded in the audit trail
and the jobs after it still run; the command then exits non-zero."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from openqms.core import mail as queue
from openqms.core import modules
from openqms.core.modules import Job, Module
from openqms.testing import changes_of, event_count, events_since

pytestmark = pytest.mark.verifies("CORE-029")


def _broken() -> str:
    raise RuntimeError("the disk is full")


def _flaky_module(ran: list) -> Module:
    return Module(
        label="flaky",
        jobs=[
            Job("flaky: broken", _broken, order=1),
            Job("flaky: fine", lambda: ran.append("fine") or "did its work", order=2),
        ],
    )


def test_a_failing_job_is_audited_and_the_others_still_run(db):
    queue.queue([("Hello", "A queued email.", ["someone@example.test"])])
    mail.outbox.clear()
    ran, out, err, before = [], StringIO(), StringIO(), event_count()
    with modules.temporarily(_flaky_module(ran)), pytest.raises(CommandError) as failure:
        call_command("tick", stdout=out, stderr=err)
    assert str(failure.value) == "1 job(s) failed: flaky: broken"
    assert ran == ["fine"]
    assert [m.subject for m in mail.outbox] == ["Hello"]  # the email job ran after it
    assert "flaky: fine: did its work" in out.getvalue()
    assert "flaky: broken: RuntimeError: the disk is full (failed" in err.getvalue()
    [event] = [e for e in events_since(before) if e.action == "core.job.failed"]
    assert (event.action, event.actor_id, event.object_type, event.object_id) == (
        "core.job.failed",
        None,
        "core.job",
        "flaky: broken",
    )
    assert changes_of(event) == {"job": "flaky: broken", "error": "RuntimeError: the disk is full"}
    assert event.actor_name.startswith("system (openqms tick (OS user ")


def test_a_tick_where_every_job_succeeds_exits_cleanly_and_writes_no_failure(db):
    before, out = event_count(), StringIO()
    call_command("tick", stdout=out)
    assert not [e for e in events_since(before) if e.action == "core.job.failed"]
    assert "core: queued emails: 0 email(s) sent, 0 failed" in out.getvalue()
