"""`openqms verify` compares each role's definition (name, permissions, second factor)
with the last one recorded: by `migrate` (what the migrations seeded or changed) or by
an administrator's audited change. A permission added or a second factor turned off in
the database is found (Part 11 §11.10(d)(g))."""

import json
from types import SimpleNamespace

import pytest
from django.test import override_settings

from openqms.core import actions, integrity
from openqms.core.actions.instance import record_migration
from openqms.core.instance import after_migrate, before_migrate, role_definitions
from openqms.core.models import Role
from openqms.testing import last_event

CHECK = "core: role definitions"
APPROVE = "documents.revision:approve"


def _section(report: integrity.IntegrityReport) -> integrity.Section:
    return next(s for s in report.sections if s.name == CHECK)


@pytest.fixture
def recorded(cast):
    """The seeded definitions recorded as `migrate` records them (the test database was
    migrated with OPENQMS_AUDIT_MIGRATIONS off)."""
    record_migration(applied=["core.0003_seed_roles"], reinstalled=[], roles=role_definitions())


def test_recorded_definitions_reconcile_with_no_finding(recorded):
    report = integrity.run()
    assert report.findings == []
    assert _section(report).checked == Role.objects.count()
    assert _section(report).note == ""


def test_unrecorded_definitions_are_noted_not_found(cast):
    report = integrity.run()
    assert report.findings == []
    assert _section(report).note == (
        f"{Role.objects.count()} role(s) with a definition never recorded: not checkable"
    )


def test_a_permission_added_in_the_database_is_found(recorded):
    author = Role.objects.get(code="author")
    Role.objects.filter(pk=author.pk).update(permissions=[*author.permissions, APPROVE])
    [finding] = integrity.run().findings
    assert finding.check == CHECK
    assert finding.record == "core.role author"
    assert finding.trail_says.startswith(f"permissions [{', '.join(sorted(author.permissions))}]")
    assert "(event #" in finding.trail_says
    assert APPROVE in finding.row_says


def test_a_second_factor_turned_off_after_an_audited_change_is_found(recorded, cast):
    author = Role.objects.get(code="author")
    actions.update_role(
        actor=cast.admin,
        role=author,
        permission_codes=author.permissions,
        requires_second_factor=True,
        reason="Authors sign records",
    )
    seq = last_event().seq
    assert integrity.run().findings == []
    Role.objects.filter(pk=author.pk).update(requires_second_factor=False)
    [finding] = integrity.run().findings
    assert finding.record == "core.role author"
    assert finding.trail_says == f"requires_second_factor required (event #{seq})"
    assert finding.row_says == "requires_second_factor not required"


@override_settings(AUDIT_MIGRATIONS=True)
def test_migrate_records_the_definitions_its_migrations_changed(db):
    before_migrate(sender=None)
    trainee = Role.objects.get(code="trainee")
    # What a module's migration does: add its permission to a seeded role.
    Role.objects.filter(pk=trainee.pk).update(permissions=[*trainee.permissions, "x.y:read"])
    plan = [(SimpleNamespace(app_label="x", name="0002_grant"), False)]
    after_migrate(sender=None, plan=plan)
    event = last_event()
    assert event.action == "core.system.migrated"
    assert json.loads(event.changes)["roles"] == {"trainee": role_definitions()["trainee"]}
    assert "x.y:read" in role_definitions()["trainee"]["permissions"]
