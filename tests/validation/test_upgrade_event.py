"""The version installed, and each upgrade, recorded in the trail by `openqms migrate`."""

import io

import pytest
from django.core.management import call_command

import openqms
from openqms.core.actions.instance import record_migration
from openqms.core.chain import verify_chain
from openqms.testing import changes_of, event_count, events_since
from openqms.validation import actions, iq


@pytest.fixture
def audited(db, settings):
    settings.AUDIT_MIGRATIONS = True


def migrate_as(monkeypatch, version):
    monkeypatch.setattr(openqms, "__version__", version)
    call_command("migrate", verbosity=0)


@pytest.mark.verifies("VAL-030")
def test_an_upgrade_is_recorded_once_and_the_chain_still_verifies(audited, monkeypatch):
    actions.record_version(version="1.0.0", installing=True)  # what the install wrote
    before = event_count()

    migrate_as(monkeypatch, "1.1.0")
    migrate_as(monkeypatch, "1.1.0")

    [upgraded] = events_since(before)
    assert (upgraded.action, upgraded.object_type, upgraded.actor) == (
        "core.system.upgraded",
        "core.database",
        None,
    )
    assert upgraded.actor_name.startswith("system (openqms migrate (OS user ")
    assert changes_of(upgraded) == {"from": "1.0.0", "to": "1.1.0"}
    assert actions.recorded_version() == "1.1.0"
    assert verify_chain().ok
    call_command("verify", "--workers", "1", stdout=io.StringIO())  # exits 0: all holds


@pytest.mark.verifies("VAL-030")
def test_the_first_install_is_recorded_as_installed(audited):
    before = event_count()

    assert actions.record_version(version="1.0.0", installing=True) == "core.system.installed"

    [installed] = events_since(before)
    assert changes_of(installed) == {"from": None, "to": "1.0.0"}


@pytest.mark.verifies("VAL-030")
def test_arriving_with_an_upgrade_records_the_release_it_came_from(audited, monkeypatch):
    monkeypatch.setattr("openqms.core.actions.instance.__version__", "0.9.0")
    record_migration(applied=["core.0001_initial"], reinstalled=[])  # the older release
    before = event_count()

    assert actions.record_version(version="1.0.0", installing=True) == "core.system.upgraded"

    [upgraded] = events_since(before)
    assert changes_of(upgraded) == {"from": "0.9.0", "to": "1.0.0"}


@pytest.mark.verifies("VAL-030", refusal=True)
def test_migrate_without_a_change_of_version_writes_nothing(audited, monkeypatch):
    actions.record_version(version="1.0.0", installing=True)
    before = event_count()

    migrate_as(monkeypatch, "1.0.0")

    assert event_count() == before
    assert actions.record_version(version="1.0.0", installing=False) is None


@pytest.mark.verifies("VAL-030")
def test_an_instance_holding_only_its_version_event_is_still_empty_for_a_restore(db):
    from openqms.core import backup
    from openqms.validation.actions import record_version

    record_version(version="9.9.9", installing=True)

    assert backup.records_held()["audit events"] == 0


@pytest.mark.verifies("VAL-030", "VAL-043")
def test_a_migrate_after_one_that_stopped_records_the_version(audited):
    """The migrate that created validation's tables stopped before its end (no event, as
    here: the test database was migrated with auditing off); the next one records the
    version, so IQ-12 passes instead of failing for good."""
    assert actions.recorded_version() is None
    assert not iq.check_recorded_version().passed

    call_command("migrate", verbosity=0)

    assert actions.recorded_version() == openqms.__version__
    assert iq.check_recorded_version().passed
