"""System checks that `openqms check --deploy` runs."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_provided(app_configs, **kwargs):
    if settings.SECRET_KEY_PROVIDED:
        return []
    return [
        Error(
            "OPENQMS_SECRET_KEY is not set.",
            hint='Set it to a long random value, e.g. `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`, and keep it secret.',
            id="openqms.E001",
        )
    ]
