"""The scope's reassessment step and top management's reading, built side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0006_scope_reassessment"),
        ("qms", "0007_management_reads"),
    ]
    operations = []
