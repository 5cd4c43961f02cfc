"""`openqms tick` runs the full integrity check at most once per OPENQMS_INTEGRITY_HOURS,
records its result as `core.integrity.checked`, and while the last result is a failure
every tick exits non-zero and administrators see it in My tasks."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openqms.core import inbox, integrity
from openqms.core.models import AuditEvent
from openqms.testing import changes_of
from openqms.training.models import CompetenceRecord
from tests import integrity_world


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _checked() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="core.integrity.checked").order_by("seq"))


def _tick() -> str:
    out, err = StringIO(), StringIO()
    call_command("tick", stdout=out, stderr=err)
    return out.getvalue()


def test_the_tick_records_the_result_as_an_event(world):
    out = _tick()
    assert "core: integrity check: all checks hold (" in out
    [event] = _checked()
    assert (event.actor_id, event.object_type, event.object_id) == (
        None,
        "core.integrity",
        "openqms verify",
    )
    said = changes_of(event)
    assert (said["ok"], said["findings"], said["findings_total"]) == (True, [], 0)
    names = [s["name"] for s in said["sections"]]
    assert names[:3] == ["audit chain and checkpoints", "signatures", "file store"]
    assert set(said["sections"][0]) == {"name", "ok", "checked", "findings", "seconds"}


def test_the_check_runs_at_most_once_per_interval(world, settings, monkeypatch):
    settings.INTEGRITY_HOURS = 24
    _tick()
    out = _tick()
    assert "core: integrity check: not due: all checks held at " in out
    assert len(_checked()) == 1
    later = timezone.now() + dt.timedelta(hours=25)
    monkeypatch.setattr(integrity.timezone, "now", lambda: later)
    integrity.scheduled_check()
    assert len(_checked()) == 2


def test_with_no_interval_every_tick_checks(world, settings):
    settings.INTEGRITY_HOURS = 0
    _tick()
    _tick()
    assert len(_checked()) == 2


def test_a_failing_check_fails_the_tick_and_shows_in_my_tasks(world, cast, settings):
    settings.INTEGRITY_HOURS = 24
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    assert inbox.integrity_failing(cast.admin) == []
    with pytest.raises(CommandError, match="job\\(s\\) failed: core: integrity check"):
        _tick()
    [event] = _checked()
    said = changes_of(event)
    assert (said["ok"], said["findings_total"]) == (False, 1)
    [finding] = said["findings"]
    assert finding["check"] == "training: competence records"
    assert finding["row_says"] == "expires 2099-01-01"
    [task] = inbox.integrity_failing(cast.admin)
    assert task.url == "/integrity/"
    assert task.title.startswith("The integrity check found 1 problem(s)")
    assert inbox.integrity_failing(cast.author) == []
    # Not due again yet: the tick still fails, without checking again.
    with pytest.raises(CommandError):
        _tick()
    assert len(_checked()) == 1
