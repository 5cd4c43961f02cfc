"""Once the trail is anchored (a checkpoint or a sealed event), a missing or unreadable
audit key stops OpenQMS from writing: no event is written unsealed (it would later read
as forged), `openqms serve` and `openqms tick` refuse to start, naming the key's path."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from openqms.core import audit
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import checkpointed


def refused_text(path) -> str:
    return (
        f"The audit key {path} cannot be loaded (there is no such file), but this "
        "instance's trail is anchored (it has checkpoints or sealed events): events written "
        "now could not be sealed. Restore the key file, or point OPENQMS_AUDIT_KEY at it."
    )


@pytest.fixture
def lose_key(settings, tmp_path):
    def lose():
        settings.AUDIT_KEY = tmp_path / "moved-away.pem"
        return settings.AUDIT_KEY

    return lose


def trail():
    return list(AuditEvent.objects.values_list("seq", "hash")), Checkpoint.objects.count()


@pytest.mark.verifies("CORE-022", refusal=True)
def test_an_action_refuses_to_write_an_unsealed_event(db, lose_key):
    record_events(2)
    key_gone = lose_key()
    before = trail()
    with pytest.raises(audit.AuditKeyMissing) as refusal, transaction.atomic():
        audit.record(actor=None, action="core.user.updated", object_type="t", object_id=1)
    assert refusal.value.message == refused_text(key_gone)
    assert trail() == before


@pytest.mark.verifies("CORE-022", refusal=True)
def test_serve_refuses_to_start(db, settings, lose_key):
    settings.SECRET_KEY_PROVIDED, settings.ALLOWED_HOSTS = True, ["qms.example.com"]
    checkpointed(2)
    key_gone = lose_key()
    before = trail()
    with pytest.raises(CommandError) as refusal:
        call_command("serve", "--check", stdout=io.StringIO())
    assert str(refusal.value) == f"Refusing to serve: {refused_text(key_gone)}"
    assert trail() == before


def test_tick_fails_loudly_and_runs_no_job(db, lose_key):
    checkpointed(2)
    key_gone = lose_key()
    before = trail()
    with pytest.raises(CommandError) as refusal:
        call_command("tick", stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refusal.value) == f"Refusing to run the periodic jobs: {refused_text(key_gone)}"
    assert trail() == before


def test_an_unreadable_key_file_is_named_with_why(db, settings, tmp_path):
    record_events(1)
    settings.AUDIT_KEY = tmp_path / "junk.pem"
    settings.AUDIT_KEY.write_text("not a key")
    problem = audit.key_problem()
    assert problem.startswith(f"The audit key {settings.AUDIT_KEY} cannot be loaded (")
    assert "is not an unencrypted PEM private key" in problem


@pytest.mark.verifies("CORE-022")
def test_before_the_trail_is_anchored_nothing_is_refused(db, lose_key):
    lose_key()
    record_events(2)  # an instance that has never had a key
    assert audit.key_problem() is None
    assert set(AuditEvent.objects.values_list("seal", flat=True)) == {""}
