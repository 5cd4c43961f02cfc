from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("design", "0011_signed_contents")]

    operations = [
        migrations.AddField(
            model_name="itemtype",
            name="active",
            field=models.BooleanField(default=True),
        ),
    ]
