"""Document types' retention becomes the proposal for core's retention rules (ISO 13485
4.2.5): one record class per type ("documents.type.<code>"); a rule set on the Retention
page replaces the type's years, and no type is kept less than two years after
withdrawal. The column stays (the types page edits it, audited there); no rows are copied
into core's rules, because a rule row without its audit event would be reported by
`openqms verify` (core: retention rules) — the proposal serves until someone changes it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0020_merge_issue_10"),
        ("core", "0013_retention_rules"),
    ]

    operations = [
        migrations.AlterField(
            model_name="documenttype",
            name="retention_years",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Proposed retention after withdrawal, 2 years or more (0: for ever); "
                "the rule set on the Retention page replaces it.",
            ),
        ),
    ]
