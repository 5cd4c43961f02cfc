"""Retention per record class, legal holds and signed dispositions for every record
(ISO 13485 4.2.5); administrators and QA leads may manage them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RETENTION_MANAGE = "core.retention:manage"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code__in=("administrator", "qa_lead")):
        role.permissions = sorted({*role.permissions, RETENTION_MANAGE})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0012_audit_reviews'),
    ]

    operations = [
        migrations.CreateModel(
            name='RetentionRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_class', models.CharField(max_length=150, unique=True)),
                ('years', models.PositiveSmallIntegerField()),
                ('counted_from', models.CharField(choices=[('closed', 'after the record is closed'), ('end_of_support', "after its devices' end of support"), ('last_placed', 'after its devices were last placed on the market')], max_length=20)),
                ('regulation', models.CharField(blank=True, max_length=200)),
                ('minimum_years', models.PositiveSmallIntegerField(default=0)),
                ('changed_at', models.DateTimeField()),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['record_class'],
            },
        ),
        migrations.CreateModel(
            name='RecordDisposition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_class', models.CharField(max_length=150)),
                ('object_type', models.CharField(max_length=100)),
                ('object_id', models.CharField(max_length=100)),
                ('label', models.CharField(max_length=300)),
                ('reason', models.TextField()),
                ('retention_ended', models.DateField()),
                ('disposed_at', models.DateTimeField()),
                ('disposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-disposed_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('object_type', 'object_id'), name='core_one_disposition_per_record')],
            },
        ),
        migrations.CreateModel(
            name='RecordHold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_class', models.CharField(max_length=150)),
                ('object_type', models.CharField(max_length=100)),
                ('object_id', models.CharField(max_length=100)),
                ('reason', models.TextField()),
                ('placed_at', models.DateTimeField()),
                ('released_at', models.DateTimeField(blank=True, null=True)),
                ('release_reason', models.TextField(blank=True)),
                ('placed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('released_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-placed_at', '-pk'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='core_record_object__433232_idx')],
            },
        ),        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
