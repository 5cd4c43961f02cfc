"""`openqms verify` reconciles records with the trail: each edit made directly in the
database (as someone with database access would, triggers dropped where they refuse it)
is reported with the record, what the trail says and what the row says; a clean
instance has no finding at all."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from openqms.core import integrity
from openqms.core.models import AuditEvent, RoleAssignment, Signature, StoredFile, User
from openqms.core.triggers import drop_triggers, install_triggers
from openqms.documents.models import Revision
from openqms.training.models import Assignment, CompetenceRecord
from tests import integrity_world


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _findings(check_prefix: str = "") -> list[integrity.Finding]:
    return [f for f in integrity.run().findings if f.check.startswith(check_prefix)]


@pytest.mark.verifies("CORE-004")
def test_a_clean_instance_has_no_finding_and_every_check_ran(world):
    report = integrity.run()
    assert report.findings == []
    assert report.ok
    names = [s.name for s in report.sections]
    assert names[:3] == ["audit chain and checkpoints", "signatures", "file store"]
    assert {
        "core: role grants",
        "core: signature rows",
        "core: active users",
        "documents: revision states",
        "documents: approvals",
        "documents: attachment files",
        "training: completed training",
        "training: assignment states",
        "training: competence records",
    } <= set(names)
    by_name = {s.name: s for s in report.sections}
    # The live ones: rev A and B reviewed and approved, trained, the session delivered.
    assert by_name["signatures"].checked == 6
    assert by_name["core: role grants"].checked == 9  # the cast's 8 and the revoked one


def test_a_revision_set_effective_without_approval_is_found(world):
    Revision.objects.filter(pk=world.in_review.pk).update(
        state="effective", became_effective_at=timezone.now()
    )
    record = f"documents.revision {world.in_review.pk} ({world.in_review.document.number} rev A)"
    found = {(f.check, f.record, f.trail_says, f.row_says) for f in _findings("documents")}
    assert ("documents: approvals", record, "no live approval signature", "effective") in found
    assert ("documents: approvals", record, "no event made it effective", "effective") in found
    [state] = [f for f in _findings("documents: revision states")]
    assert (state.record, state.row_says) == (record, "effective")
    assert state.trail_says.startswith("in_review (event #")


def test_training_marked_completed_without_its_signature_is_found(world, cast):
    revision = world.effective
    Assignment.objects.create(
        person=cast.author,
        document=revision.document,
        revision=revision,
        state="completed",
        method="signature",
        reason="forged",
        assigned_at=timezone.now(),
        due_date=timezone.localdate(),
        completed_at=timezone.now(),
    )
    [forged] = Assignment.objects.filter(person=cast.author, revision=revision)
    found = {(f.check, f.trail_says, f.row_says) for f in _findings("training")}
    assert found == {
        (
            "training: completed training",
            "no “trained” signature and no signed session completed it",
            "completed (method: signature)",
        ),
        ("training: assignment states", "no event assigned it", "completed"),
    }
    assert all(f"training.assignment {forged.pk} (author: " in f.record for f in _findings("t"))


def test_an_assignment_whose_state_was_changed_is_found(world):
    Assignment.objects.filter(pk=world.assignment.pk).update(state="cancelled")
    [finding] = _findings()
    assert finding.check == "training: assignment states"
    assert finding.record.startswith(f"training.assignment {world.assignment.pk} (trainee: ")
    assert finding.trail_says.startswith("completed (event #")
    assert finding.row_says == "cancelled"


def test_a_competence_expiry_moved_to_2099_is_found(world):
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(expires_on=dt.date(2099, 1, 1))
    [finding] = _findings()
    assert finding.check == "training: competence records"
    assert (
        finding.record == f"training.competencerecord {world.competence.pk} (trainee: GCP course)"
    )
    assert finding.trail_says.startswith("expires 2027-01-10 (event #")
    assert finding.row_says == "expires 2099-01-01"


def test_a_revoked_role_un_revoked_is_found(world, cast):
    RoleAssignment.objects.filter(user=cast.auditor, role__code="author").update(
        revoked_at=None, revoked_by=None, revoke_reason=""
    )
    [finding] = _findings()
    assert finding.check == "core: role grants"
    assert finding.record == "core.roleassignment: auditor, role author"
    assert finding.trail_says.startswith("revoked (event #")
    assert finding.row_says == "held now"


@pytest.mark.verifies("CORE-004", refusal=True)
def test_a_deactivated_account_reactivated_in_the_database_is_found(world, cast):
    User.objects.filter(pk=cast.outsider.pk).update(is_active=True)
    [finding] = _findings()
    assert finding.check == "core: active users"
    assert finding.record == f"core.user {cast.outsider.pk} (outsider)"
    assert finding.trail_says.startswith("deactivated (event #")
    assert finding.row_says == "active"


@pytest.mark.verifies("CORE-004", refusal=True)
def test_a_deleted_signature_row_is_found(world):
    drop_triggers(connection)  # rolled back with the test
    sig = Signature.objects.get(meaning="trained")
    seq = sig.audit_event_id
    Signature.objects.filter(pk=sig.pk).delete()
    install_triggers(connection)
    found = {(f.check, f.record, f.row_says) for f in _findings()}
    assignment = world.assignment
    assert found == {
        (
            "core: signature rows",
            f"core.signature of event #{seq} (training.assignment {assignment.pk})",
            "no signature row (deleted)",
        ),
        (
            "training: completed training",
            f"training.assignment {assignment.pk} (trainee: {assignment.document.number} rev A)",
            "completed (method: signature)",
        ),
    }


def test_a_voided_signature_made_live_again_is_found(world):
    voided = Signature.objects.get(voided_at__isnull=False)
    Signature.objects.filter(pk=voided.pk).update(voided_at=None, void_reason="")
    found = [f for f in _findings() if f.check == "core: signature rows"]
    assert [(f.record, f.row_says) for f in found] == [(f"core.signature {voided.pk}", "live")]
    assert found[0].trail_says.startswith("voided (event #")


def test_a_stored_file_swapped_with_its_recorded_hash_is_found(world):
    stored = StoredFile.objects.get()
    original = stored.sha256
    forged = b"%PDF-1.4 another flowchart"
    forged_sha = hashlib.sha256(forged).hexdigest()
    default_storage.delete(stored.path)
    default_storage.save(f"sha256/{forged_sha[:2]}/{forged_sha}", ContentFile(forged))
    StoredFile.objects.filter(pk=stored.pk).update(sha256=forged_sha, size=len(forged))
    report = integrity.run()
    by_check = {f.check: f for f in report.findings}
    assert "file store" not in by_check  # the bytes match the hash beside them...
    # ...but not the recorded one, in rev A and in rev B, which carried the file forward.
    found = [f for f in report.findings if f.check == "documents: attachment files"]
    number = world.effective.document.number
    assert [f.record.split(" ", 2)[2] for f in found] == [
        f"“Flowchart.pdf” of {number} rev A",
        f"“Flowchart.pdf” of {number} rev B",
    ]
    attachment = found[0]
    assert attachment.trail_says.startswith(f"SHA-256 {original[:16]}… (event #")
    assert attachment.row_says == f"SHA-256 {forged_sha[:16]}…"
    # The signatures bound to the revision's content see it too.
    assert "signatures" in by_check
    default_storage.delete(f"sha256/{forged_sha[:2]}/{forged_sha}")


def test_a_changed_signed_body_is_found_by_the_signature_check(world):
    Revision.objects.filter(pk=world.effective.pk).update(body="1. Something else")
    found = [f for f in _findings() if f.check == "signatures"]
    # The reviewer's and approver's signatures, and the trainee's on the same content.
    assert len(found) == 3
    assert all(f.row_says.endswith("(changed after signing)") for f in found)


def test_training_completed_in_a_session_whose_signature_is_deleted_is_found(world, cast):
    drop_triggers(connection)  # rolled back with the test
    delivered = Signature.objects.get(meaning="delivered")
    Signature.objects.filter(pk=delivered.pk).delete()
    install_triggers(connection)
    attended = Assignment.objects.get(person=cast.approver, method="session")
    found = {(f.check, f.record.split(" (")[0]) for f in _findings()}
    assert found == {
        ("core: signature rows", f"core.signature of event #{delivered.audit_event_id}"),
        ("training: completed training", f"training.assignment {attended.pk}"),
    }


def test_superseded_training_reopened_is_found(world, cast):
    closed = Assignment.objects.get(person=cast.auditor, state="superseded")
    Assignment.objects.filter(pk=closed.pk).update(state="open")
    [finding] = _findings()
    assert finding.check == "training: assignment states"
    assert finding.trail_says.startswith("superseded (event #")
    assert finding.row_says == "open"


def test_a_rewritten_audit_event_is_found_by_the_chain_check(world):
    drop_triggers(connection)  # rolled back with the test
    AuditEvent.objects.filter(seq=3).update(reason="rewritten")
    findings = [f for f in _findings() if f.check == "audit chain and checkpoints"]
    assert findings
    assert any("#3" in f.row_says for f in findings)
