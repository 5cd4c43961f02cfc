"""Audit-trail reviews (EU GMP Annex 11 §9): signed records, so the table gets triggers
refusing UPDATE and DELETE (core.triggers, group "reviews"); QA leads may record them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from openqms.core.triggers import install_triggers

AUDIT_REVIEW = "core.audit:review"


def protect_reviews(apps, schema_editor):
    install_triggers(schema_editor.connection, groups=("reviews",))


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(code="qa_lead"):
        role.permissions = sorted({*role.permissions, AUDIT_REVIEW})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0011_checkpoints_and_seals'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviewed_at', models.DateTimeField()),
                ('period_from', models.DateField()),
                ('period_to', models.DateField()),
                ('time_zone', models.CharField(max_length=64)),
                ('filter', models.JSONField(blank=True, default=dict)),
                ('events', models.PositiveIntegerField()),
                ('first_seq', models.BigIntegerField(blank=True, null=True)),
                ('last_seq', models.BigIntegerField(blank=True, null=True)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
                ('findings', models.TextField(blank=True)),
                ('no_findings', models.BooleanField(default=False)),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-period_to', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_from__lte', models.F('period_to'))), name='core_audit_review_period'), models.CheckConstraint(condition=models.Q(models.Q(('no_findings', True), ('findings', '')), models.Q(('no_findings', False), models.Q(('findings', ''), _negated=True)), _connector='OR'), name='core_audit_review_findings')],
            },
        ),
        migrations.RunPython(protect_reviews),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
