from django.db import migrations, models


class Migration(migrations.Migration):
    """Segregation of duties per document type: on for every type, existing ones too."""

    dependencies = [("documents", "0013_retraining_decision")]

    operations = [
        migrations.AddField(
            model_name="documenttype",
            name="reviewer_cannot_approve",
            field=models.BooleanField(
                default=True,
                help_text="The person who reviewed a revision cannot also approve it",
            ),
        ),
    ]
