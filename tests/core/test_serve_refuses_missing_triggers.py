"""`openqms serve` refuses a database whose protective triggers are gone (21 CFR
11.10(e): the trail must stay append-only), and the remedy it prints works."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from openqms import __version__
from openqms.core.models import AuditEvent
from openqms.core.triggers import missing_triggers
from openqms.testing import last_event
from openqms.validation.actions import record_version


def drop_one_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
            return "core_auditevent_no_delete"
        cursor.execute("DROP TRIGGER core_auditevent_no_change ON core_auditevent")
        return "core_auditevent_no_change"


def preflight():
    out = io.StringIO()
    call_command("serve", "--check", stdout=out)
    return out.getvalue()


def test_serve_preflight_passes_on_a_migrated_database(db):
    assert preflight().strip() == "Pre-flight checks passed: ready to serve."


def test_serve_refuses_a_database_without_its_triggers_and_migrate_restores_them(db, settings):
    settings.AUDIT_MIGRATIONS = True
    record_version(version=__version__, installing=True)  # as the install's migrate did
    dropped = drop_one_trigger()
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as refusal:
        preflight()
    assert str(refusal.value) == (
        f"Refusing to serve: Database 'default' lacks the protective triggers: {dropped}. "
        "Run `openqms migrate`: it reinstalls them. Then find out who removed them (the "
        "database log), and run `openqms audit verify`."
    )
    assert AuditEvent.objects.count() == events

    call_command("migrate", verbosity=0)

    assert missing_triggers(connection) == []
    assert preflight().startswith("Pre-flight checks passed")
    event = last_event()
    assert AuditEvent.objects.count() == events + 1
    assert event.action == "core.system.triggers_reinstalled"
    assert event.actor_id is None
    assert event.actor_name.startswith("system (openqms migrate (OS user ")
    assert json.loads(event.changes) == {
        "openqms_version": __version__,
        "django_version": json.loads(event.changes)["django_version"],
        "triggers_reinstalled": [dropped],
    }


def test_migrate_with_nothing_to_do_writes_no_event(db, settings):
    settings.AUDIT_MIGRATIONS = True
    record_version(version=__version__, installing=True)  # as the install's migrate did
    events = AuditEvent.objects.count()
    call_command("migrate", verbosity=0)
    assert AuditEvent.objects.count() == events


def test_the_deploy_check_names_the_missing_trigger_without_a_database_option(db):
    dropped = drop_one_trigger()
    with pytest.raises(SystemCheckError) as failed:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    assert f"(openqms.E003) Database 'default' lacks the protective triggers: {dropped}." in (
        str(failed.value)
    )
