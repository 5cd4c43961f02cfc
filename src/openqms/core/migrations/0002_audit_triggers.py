"""Append-only audit trail: the database itself refuses UPDATE and DELETE (and TRUNCATE on
PostgreSQL) on core_auditevent, whatever client connects (21 CFR 11.10(e)).

Irreversible on purpose: `migrate core 0001` must not be a way to lift the protection.
"""

from django.db import migrations

from openqms.core.triggers import install_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection, groups=("audit",))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install)]
