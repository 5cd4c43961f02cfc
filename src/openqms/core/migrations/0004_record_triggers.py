"""Signatures can only be voided, never edited or deleted; users are never deleted.

Irreversible on purpose, like 0002.
"""

from django.db import migrations

from openqms.core.triggers import install_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection, groups=("records",))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_seed_roles")]
    operations = [migrations.RunPython(install)]
