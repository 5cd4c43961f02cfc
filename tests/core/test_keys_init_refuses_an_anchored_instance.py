"""`openqms keys init` on an instance whose trail is anchored makes no new key: the key
existed, and a new one would call every event it sealed forged. (A walk found a restored
instance telling the admin to run `keys init`.)"""

import pytest
from django.core.management import CommandError, call_command

from openqms.core import audit
from openqms.core.models import AuditEvent


@pytest.mark.django_db
def test_init_refuses_when_the_trail_is_anchored_and_writes_no_key(cast, settings, tmp_path):
    assert AuditEvent.objects.exclude(seal="").exists()  # the cast's events are sealed
    assert audit.anchored()
    settings.AUDIT_KEY = tmp_path / "lost" / "audit.pem"
    with pytest.raises(CommandError, match="already anchored"):
        call_command("keys", "init")
    assert not settings.AUDIT_KEY.exists()


@pytest.mark.django_db
def test_init_makes_the_key_of_a_new_instance(settings, tmp_path):
    assert not audit.anchored()
    settings.AUDIT_KEY = tmp_path / "audit.pem"
    call_command("keys", "init")
    assert settings.AUDIT_KEY.exists()
