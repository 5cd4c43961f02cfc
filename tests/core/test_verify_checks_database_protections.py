"""`openqms verify` fails when the protective triggers are missing (a restore of a copy
that had lost them, or someone dropping them), naming each one."""

import pytest
from django.db import connection

from openqms.core import integrity
from openqms.core.triggers import drop_triggers, expected_triggers

SECTION = "database protections"


def _section(report: integrity.IntegrityReport) -> integrity.Section:
    return next(s for s in report.sections if s.name == SECTION)


@pytest.mark.verifies("CORE-005")
def test_an_instance_with_its_triggers_passes_the_section(db):
    report = integrity.run()
    assert report.ok
    assert _section(report).checked == len(expected_triggers(connection)) > 0


@pytest.mark.verifies("CORE-005", refusal=True)
def test_an_instance_without_its_triggers_fails_and_names_each(db):
    drop_triggers(connection)  # rolled back with the test
    report = integrity.run()
    assert not report.ok
    assert not _section(report).ok
    found = [f for f in report.findings if f.check == SECTION]
    assert {f.record for f in found} == {
        f"trigger {name}" for name in expected_triggers(connection)
    }
    assert {f.row_says for f in found} == {
        "missing from the database (run `openqms migrate` to put it back)"
    }
