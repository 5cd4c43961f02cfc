"""Issue 11's two core migrations, built side by side: health data and retention."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_confidentiality"),
        ("core", "0013_retention_rules"),
    ]
    operations = []
