from django.db import migrations


class Migration(migrations.Migration):
    """Issue 10's document-control changes, made side by side, joined."""

    dependencies = [
        ("documents", "0015_legacy_provenance_and_currency_checks"),
        ("documents", "0016_reassign_permission"),
        ("documents", "0017_review_assignments"),
        ("documents", "0018_attachment_text"),
        ("documents", "0019_document_in_force"),
    ]

    operations = []
