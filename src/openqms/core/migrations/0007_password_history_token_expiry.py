"""Temporary passwords, password history, session generations and token expiry.

Tokens made before expiry existed get one now: OPENQMS_TOKEN_DAYS from today, so an
upgrade does not cut off a running integration without warning.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def expire_old_tokens(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    until = timezone.now() + dt.timedelta(days=getattr(settings, "TOKEN_DAYS", 90))
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=until)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_queued_email")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="user",
            name="password_history",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
    ]
