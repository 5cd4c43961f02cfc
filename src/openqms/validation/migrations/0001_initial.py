"""Validation reports (what `openqms validate` stored, approved by a QA lead's signature)
and who may read and approve them on the seeded roles (role changes are audited
afterwards)."""


import django.db.models.deletion
from django.db import migrations, models


READ, APPROVE = "validation.report:read", "validation.report:approve"
GRANTS = {"qa_lead": [READ, APPROVE], "administrator": [READ], "auditor": [READ]}


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, extra in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(extra))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0005_stored_files'),
    ]

    operations = [
        migrations.CreateModel(
            name='ValidationReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, unique=True)),
                ('version', models.CharField(max_length=40)),
                ('engine', models.CharField(max_length=20)),
                ('started_at', models.DateTimeField()),
                ('finished_at', models.DateTimeField()),
                ('passed', models.BooleanField()),
                ('iq_passed', models.BooleanField()),
                ('oq_passed', models.BooleanField()),
                ('counts', models.JSONField(default=dict)),
                ('state', models.CharField(choices=[('awaiting_approval', 'awaiting approval'), ('approved', 'approved')], default='awaiting_approval', max_length=20)),
                ('stored_at', models.DateTimeField()),
                ('compared_with', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='validation.validationreport')),
                ('json_file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile')),
                ('pdf_file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile')),
            ],
            options={
                'ordering': ['-number'],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
