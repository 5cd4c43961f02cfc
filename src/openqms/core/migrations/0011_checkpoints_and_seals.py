"""Checkpoints of the audit chain, and a seal on every audit event.

The seal column is added with plain `ALTER TABLE … ADD COLUMN … DEFAULT ''` on both
engines: on SQLite, Django would otherwise rebuild the whole audit table (copy, drop,
rename) to add a NOT NULL column, which rewrites every event and loses the table's
triggers until post_migrate puts them back. ADD COLUMN touches no row, so the append-only
triggers (which refuse UPDATE) are neither fired nor removed.
"""

from django.db import migrations, models

ADD_SEAL = "ALTER TABLE core_auditevent ADD COLUMN seal varchar(64) NOT NULL DEFAULT ''"


def add_seal(apps, schema_editor):
    schema_editor.execute(ADD_SEAL)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_merge_email_backoff_and_attempt_claims"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_seal, migrations.RunPython.noop)],
            state_operations=[
                migrations.AddField(
                    model_name="auditevent",
                    name="seal",
                    field=models.CharField(blank=True, max_length=64),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField()),
                ("head_hash", models.CharField(max_length=64)),
                ("at", models.DateTimeField()),
                ("counts", models.TextField()),
                ("key_id", models.CharField(max_length=16)),
                ("previous", models.CharField(blank=True, max_length=100)),
                ("signature", models.CharField(max_length=100, unique=True)),
            ],
            options={"ordering": ["-id"]},
        ),
    ]
