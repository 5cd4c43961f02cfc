from django.db import migrations, models


class Migration(migrations.Migration):
    """Link.origin: the file an import made a link from, so that a re-import of the same
    file can remove the links it no longer declares (links made before it: blank, as if
    made by hand, so no re-import ever removes them)."""

    dependencies = [
        ("design", "0011_signed_contents"),
    ]

    operations = [
        migrations.AddField(
            model_name="link",
            name="origin",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
    ]
