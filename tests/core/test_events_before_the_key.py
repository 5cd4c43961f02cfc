"""An instance that ran before it had an audit key: its events carry no seal. Until the
first checkpoint covers them verify says so (and passes); after it they are anchored."""

from openqms.core import checkpoints
from openqms.core.models import AuditEvent
from openqms.testing import record_events
from tests.core.anchoring import forge_event


def test_unsealed_events_before_the_key_then_covered_by_the_first_checkpoint(
    db, settings, tmp_path
):
    key = settings.AUDIT_KEY
    settings.AUDIT_KEY = tmp_path / "not-yet.pem"
    record_events(3)
    assert set(AuditEvent.objects.values_list("seal", flat=True)) == {""}
    settings.AUDIT_KEY = key  # `openqms keys init`, then the service picks it up
    record_events(2)
    report = checkpoints.verify_anchored()
    assert report.ok
    assert report.notes == [
        "events #1..#3 were written before the audit key existed and no checkpoint covers "
        "them yet: run `openqms audit checkpoint`.",
        "not anchored yet: no checkpoint; run `openqms audit checkpoint`.",
    ]
    checkpoints.make_checkpoint()
    report = checkpoints.verify_anchored()
    assert report.ok and report.notes == [] and report.anchor_seq == 5


def test_an_unsealed_event_after_a_sealed_one_is_not_taken_for_an_early_one(db):
    record_events(2)
    forge_event()  # written without the key (before OpenQMS refused to), or forged
    assert checkpoints.verify_anchored().problems == [
        "unsealed event: event #3 carries no seal, though earlier events were sealed: written "
        "while the audit key was unavailable, or forged."
    ]
