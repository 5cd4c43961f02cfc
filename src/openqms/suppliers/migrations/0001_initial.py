"""Supplier control's tables, the seeded evaluation criteria and re-evaluation intervals
(configuration, changed afterwards through audited actions), and its permissions on the
seeded roles (role changes are audited afterwards)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MANAGE, APPROVE = "suppliers.supplier:manage", "suppliers.evaluation:approve"
# Top management also signs supplier decisions: in a small company the QA lead evaluates
# and someone else must sign (segregation of duties, ISO 13485 7.4.1 records).
GRANTS = {"qa_lead": [MANAGE, APPROVE], "management": [APPROVE]}
CRITERIA = [
    # code, name, description, order
    ("quality_system", "Quality system and certificates",
     "ISO 13485 or ISO 9001 certification, or an audited quality system", 10),
    ("capability", "Capability",
     "Technical and production capability for what they supply", 20),
    ("delivery", "Delivery history", "On-time delivery and responsiveness so far", 30),
    ("quality_history", "Quality history", "Rejected lots, nonconformities, complaints", 40),
    ("regulatory", "Regulatory compliance",
     "Meets the regulations that apply to what they supply (UK MDR 2002, REACH, RoHS…)", 50),
    ("information_security", "Information security",
     "Protection of data and software they handle (where relevant)", 60),
]
INTERVALS = {"critical": 12, "major": 24, "minor": 36}


def seed(apps, schema_editor):
    Criterion = apps.get_model("suppliers", "Criterion")
    for code, name, description, order in CRITERIA:
        Criterion.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    Interval = apps.get_model("suppliers", "ReevaluationInterval")
    for criticality, months in INTERVALS.items():
        Interval.objects.get_or_create(criticality=criticality, defaults={"months": months})
    Role = apps.get_model("core", "Role")
    for code, extra in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(extra))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # Only what it needs (stored files, roles, documents): migration tests rewind
        # later core and documents migrations and need a consistent history.
        ('core', '0005_stored_files'),
        ('documents', '0001_initial'),
        ('qms', '0001_frame'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True)),
                ('name', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('order', models.PositiveSmallIntegerField(default=50)),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='ReevaluationInterval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('criticality', models.CharField(choices=[('critical', 'critical'), ('major', 'major'), ('minor', 'minor')], max_length=10, unique=True)),
                ('months', models.PositiveSmallIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='ReminderSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120, unique=True)),
                ('sent_at', models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name='OutsourcedProcess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='What is outsourced', max_length=200)),
                ('agreement_review_on', models.DateField(blank=True, null=True)),
                ('agreement_expires_on', models.DateField(blank=True, null=True)),
                ('contacts_ours', models.TextField(blank=True)),
                ('contacts_partner', models.TextField(blank=True)),
                ('exchange', models.TextField(blank=True, help_text='How documents and changes are exchanged')),
                ('created_at', models.DateTimeField()),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
                ('retire_reason', models.TextField(blank=True)),
                ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.document')),
                ('process', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='qms.process')),
            ],
            options={
                'ordering': ['title', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='NotificationDuty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('what', models.CharField(choices=[('changes', 'changes'), ('nonconformities', 'nonconformities'), ('vigilance', 'vigilance (incidents, field safety)'), ('other', 'other')], max_length=20)),
                ('description', models.CharField(blank=True, max_length=200)),
                ('days', models.PositiveSmallIntegerField(help_text='Time limit in days')),
                ('direction', models.CharField(choices=[('to_us', 'partner tells us'), ('to_partner', 'we tell the partner')], max_length=20)),
                ('removed_at', models.DateTimeField(blank=True, null=True)),
                ('outsourced', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duties', to='suppliers.outsourcedprocess')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='InterfaceActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.CharField(max_length=200)),
                ('governed_by', models.CharField(choices=[('ours', 'our QMS'), ('partner', "the partner's QMS")], max_length=10)),
                ('notes', models.TextField(blank=True)),
                ('removed_at', models.DateTimeField(blank=True, null=True)),
                ('outsourced', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='suppliers.outsourcedprocess')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Supplier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('address', models.TextField(blank=True)),
                ('contact_name', models.CharField(blank=True, max_length=200)),
                ('email', models.EmailField(blank=True, max_length=254)),
                ('phone', models.CharField(blank=True, max_length=50)),
                ('supplies', models.TextField(help_text='The products or services they supply')),
                ('category', models.CharField(choices=[('component', 'components and materials'), ('manufacturing', 'contract manufacturing'), ('design', 'design and development'), ('software', 'software and cloud services'), ('service', 'services (calibration, testing, logistics)'), ('other', 'other')], max_length=20)),
                ('criticality', models.CharField(choices=[('critical', 'critical'), ('major', 'major'), ('minor', 'minor')], max_length=10)),
                ('criticality_rationale', models.TextField(help_text="The impact of what they supply on the device's safety and performance")),
                ('status', models.CharField(choices=[('new', 'new, not yet evaluated'), ('approved', 'approved'), ('conditional', 'conditionally approved'), ('disqualified', 'disqualified')], default='new', max_length=20)),
                ('conditions', models.TextField(blank=True, help_text='Conditions of the last decision')),
                ('decided_on', models.DateField(blank=True, null=True)),
                ('next_evaluation', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField()),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
                ('retire_reason', models.TextField(blank=True)),
            ],
            options={
                'ordering': ['name'],
                'indexes': [models.Index(fields=['retired_at', 'next_evaluation'], name='sup_due')],
            },
        ),
        migrations.AddField(
            model_name='outsourcedprocess',
            name='partner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outsourced', to='suppliers.supplier'),
        ),
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('evaluated_at', models.DateTimeField()),
                ('summary', models.TextField(blank=True)),
                ('recommendation', models.CharField(choices=[('approved', 'approved'), ('conditional', 'conditionally approved'), ('disqualified', 'disqualified')], max_length=20)),
                ('state', models.CharField(choices=[('awaiting', 'awaiting decision'), ('decided', 'decided'), ('withdrawn', 'withdrawn')], default='awaiting', max_length=20)),
                ('evaluator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='suppliers.supplier')),
            ],
            options={
                'ordering': ['-evaluated_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SupplierCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('iso13485', 'ISO 13485'), ('iso9001', 'ISO 9001'), ('other', 'other')], max_length=20)),
                ('title', models.CharField(blank=True, help_text='What an “other” one is', max_length=200)),
                ('number', models.CharField(max_length=100)),
                ('issuer', models.CharField(max_length=200)),
                ('expires_on', models.DateField()),
                ('file_name', models.CharField(blank=True, max_length=200)),
                ('created_at', models.DateTimeField()),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
                ('retire_reason', models.TextField(blank=True)),
                ('file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile')),
                ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='suppliers.supplier')),
            ],
            options={
                'ordering': ['expires_on', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='outsourcedprocess',
            name='partner_certificate',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suppliers.suppliercertificate'),
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('decision', models.CharField(choices=[('approved', 'approved'), ('conditional', 'conditionally approved'), ('disqualified', 'disqualified')], max_length=20)),
                ('conditions', models.TextField(blank=True)),
                ('reason', models.TextField(blank=True)),
                ('decided_on', models.DateField()),
                ('next_evaluation', models.DateField(blank=True, null=True)),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evaluation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='decision', to='suppliers.evaluation')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('decision', 'conditional'), _negated=True), models.Q(('conditions', ''), _negated=True), _connector='OR'), name='sup_conditions_given'), models.CheckConstraint(condition=models.Q(models.Q(('decision', 'disqualified'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='sup_reason_given')],
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField()),
                ('comment', models.TextField(blank=True)),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suppliers.criterion')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='suppliers.evaluation')),
            ],
            options={
                'ordering': ['criterion__order', 'criterion__code'],
                'constraints': [models.UniqueConstraint(fields=('evaluation', 'criterion'), name='sup_one_score'), models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='sup_score_1_5')],
            },
        ),
        migrations.CreateModel(
            name='PerformanceRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('deliveries_on_time', models.PositiveIntegerField(default=0)),
                ('deliveries_total', models.PositiveIntegerField(default=0)),
                ('lots_received', models.PositiveIntegerField(default=0)),
                ('lots_rejected', models.PositiveIntegerField(default=0)),
                ('notes', models.TextField(blank=True)),
                ('source', models.CharField(choices=[('manual', 'entered by hand'), ('nonconformance', 'from nonconformances'), ('complaint', 'from complaints')], default='manual', max_length=20)),
                ('recorded_at', models.DateTimeField()),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                ('withdraw_reason', models.TextField(blank=True)),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='performance', to='suppliers.supplier')),
            ],
            options={
                'ordering': ['-period_start', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='sup_perf_period'), models.CheckConstraint(condition=models.Q(('deliveries_on_time__lte', models.F('deliveries_total'))), name='sup_perf_deliveries'), models.CheckConstraint(condition=models.Q(('lots_rejected__lte', models.F('lots_received'))), name='sup_perf_lots')],
            },
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'awaiting')), fields=('supplier',), name='sup_one_open_evaluation'),
        ),
        migrations.AddIndex(
            model_name='suppliercertificate',
            index=models.Index(fields=['retired_at', 'expires_on'], name='sup_cert_expiry'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
