"""A checkpoint signed by a key that is neither the instance's nor trusted is named; an
earlier instance's key, once trusted, is accepted."""

from openqms.core import checkpoints, keys
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import sign_with


def test_a_checkpoint_signed_by_another_key_is_named(db, tmp_path):
    record_events(3)
    other = keys.create_key(tmp_path / "other.pem")
    head = AuditEvent.objects.get(seq=3)
    entry = sign_with(other, seq=3, head_hash=head.hash)
    assert checkpoints.verify_anchored().problems == [
        f"unknown key: checkpoint #{Checkpoint.objects.get().pk} of {entry.at} is signed by "
        f"key {other.key_id}, which is neither this instance's key nor one in "
        "OPENQMS_TRUSTED_KEYS."
    ]


def test_checkpoints_of_a_trusted_earlier_key_hold(db, tmp_path, settings):
    earlier = keys.create_key(tmp_path / "earlier.pem")
    settings.AUDIT_KEY = tmp_path / "earlier.pem"
    record_events(3)
    checkpoints.make_checkpoint()
    settings.AUDIT_KEY = tmp_path / "today.pem"
    keys.create_key(settings.AUDIT_KEY)
    refused = checkpoints.verify_anchored()
    assert refused.problems[0].startswith("unknown key: checkpoint #")
    settings.TRUSTED_KEYS = [earlier.public_text]
    assert checkpoints.verify_anchored().ok
    record_events(2)
    later = checkpoints.make_checkpoint()
    assert later.key_id != earlier.key_id
    report = checkpoints.verify_anchored()
    assert report.ok and report.anchor_seq == later.seq
