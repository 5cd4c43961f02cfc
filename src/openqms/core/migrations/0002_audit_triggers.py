"""Append-only audit trail: the database itself refuses UPDATE and DELETE (and TRUNCATE on
PostgreSQL) on core_auditevent, whatever client connects (21 CFR 11.10(e))."""

from django.db import migrations

from openqms.core.triggers import drop_triggers, install_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, drop)]
