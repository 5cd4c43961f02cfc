"""Issue 11's QMS frame migrations, built side by side: organisation and scope, the
process register, certificates and the clause map."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0002_organisation_and_scope"),
        ("qms", "0003_process_register"),
        ("qms", "0004_certificates_and_clauses"),
    ]
    operations = []
