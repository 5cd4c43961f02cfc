"""Storing a validation report (one audit event, nothing else) and its signed approval."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.files import open_stored
from openqms.core.models import StoredFile
from openqms.core.signatures import Credentials, content_hash, manifestations
from openqms.testing import PASSWORD, changes_of, event_count, events_since, record_events
from openqms.validation import actions
from openqms.validation.compose import compose
from openqms.validation.errors import InstanceChanged
from openqms.validation.models import ValidationReport
from openqms.validation.results import PASSED

from .oq_runs import iq_checks, oq_run, outcome, passing_run, store

SIGN = Credentials(PASSWORD)
WHY = "Deviations read: none affects our use."  # a failed report needs a justification


@pytest.mark.verifies("VAL-028")
def test_storing_keeps_both_files_and_writes_exactly_one_event(cast):
    before = event_count()

    report = store()

    [stored] = events_since(before)
    assert (stored.action, stored.object_type, stored.object_id, stored.actor) == (
        "validation.report.stored",
        "validation.validationreport",
        str(report.pk),
        None,
    )
    assert changes_of(stored) == {
        "number": report.number,
        "version": report.version,
        "passed": False,  # the made-up run verifies none of the real requirements
        "counts": report.counts,
        "json_sha256": report.json_file.sha256,
        "pdf_sha256": report.pdf_file.sha256,
        "compared_with": None,
    }
    assert report.number.startswith("VR-") and report.number.endswith("-0001")
    assert (report.state, report.iq_passed, report.oq_passed) == ("awaiting_approval", True, True)
    with open_stored(report.pdf_file) as pdf:
        assert pdf.read(5) == b"%PDF-"
    with open_stored(report.json_file) as body:
        assert b'"format": "openqms-validation/1"' in body.read()
    assert store().number.endswith("-0002")


@pytest.mark.verifies("VAL-028", refusal=True)
def test_nothing_is_stored_when_the_chain_moved_while_oq_ran(cast):
    def oq_that_writes():
        record_events(1)  # as if OQ had written to the instance under test
        return passing_run()

    composed = compose(started=timezone.now(), checks=iq_checks(), run_oq=oq_that_writes)
    before, files = event_count(), StoredFile.objects.count()

    with pytest.raises(InstanceChanged, match=r"^OQ wrote to the instance"):
        composed.store()

    assert event_count() == before
    assert StoredFile.objects.count() == files
    assert not ValidationReport.objects.exists()


@pytest.mark.verifies("VAL-029")
def test_a_qa_lead_approves_a_report_with_a_signature_over_its_files(cast):
    report = store()
    before = event_count()

    actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN, comment="Read it")

    signed, approved = events_since(before)
    assert signed.action == "core.signature.signed"
    assert changes_of(signed)["meaning"] == "approved"
    assert (approved.action, approved.actor, approved.reason) == (
        "validation.report.approved",
        cast.qa_lead,
        "Read it",
    )
    assert changes_of(approved) == {
        "state": ["awaiting_approval", "approved"],
        "step": "approve_with_deviations",  # store() makes a failed report
    }
    report.refresh_from_db()
    assert report.state == "approved"
    [shown] = manifestations(report)
    assert (shown.printed_name, shown.meaning, shown.valid) == ("Quinn Avery", "approved", True)
    assert shown.content_hash == content_hash(
        {
            "number": report.number,
            "version": report.version,
            "engine": report.engine,
            "passed": report.passed,
            "iq_passed": report.iq_passed,
            "oq_passed": report.oq_passed,
            "counts": report.counts,
            "json_sha256": report.json_file.sha256,
            "pdf_sha256": report.pdf_file.sha256,
        }
    )
    call_command("verify", "--workers", "1", stdout=io.StringIO())  # the signature holds


@pytest.mark.verifies("VAL-029", refusal=True)
@pytest.mark.parametrize("who", ["author", "auditor", "admin", "outsider"])
def test_nobody_but_an_approver_approves_a_report(cast, who):
    report = store()
    before = event_count()

    with pytest.raises(PermissionRefused):
        actions.approve_report(actor=getattr(cast, who), report=report, credentials=SIGN)

    assert event_count() == before
    report.refresh_from_db()
    assert report.state == "awaiting_approval"


@pytest.mark.verifies("VAL-029", refusal=True)
def test_a_report_is_approved_once_and_never_with_a_wrong_password(cast):
    report = store()
    with pytest.raises(ReauthenticationFailed):
        actions.approve_report(
            actor=cast.qa_lead, report=report, credentials=Credentials("no"), comment=WHY
        )
    report.refresh_from_db()
    assert report.state == "awaiting_approval"
    assert manifestations(report) == []

    actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN, comment=WHY)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN, comment=WHY)

    assert event_count() == before
    assert len(manifestations(report)) == 1


@pytest.mark.verifies("VAL-027", "VAL-028")
def test_the_next_report_is_compared_with_the_last_approved_one(cast):
    first = store()
    actions.approve_report(actor=cast.qa_lead, report=first, credentials=SIGN, comment=WHY)
    unapproved = store()

    second = store(oq_run(outcome("tests/new.py::test_more", PASSED, "VAL-001")))

    assert (unapproved.compared_with, second.compared_with) == (first, first)
    with open_stored(second.json_file) as stream:
        body = json.loads(stream.read())
    assert body["delta"]["against"] == first.number
    assert body["delta"]["tests"]["added"] == ["tests/new.py::test_more"]
    assert body["delta"]["tests"]["removed"] == sorted(o.nodeid for o in passing_run().outcomes)


@pytest.mark.verifies("VAL-029", refusal=True)
def test_a_report_whose_pdf_was_swapped_in_the_store_is_not_approved(cast, signed_in):
    from django.core.files.storage import default_storage

    report = store()
    with default_storage.open(report.pdf_file.path, "wb") as swapped:
        swapped.write(b"%PDF-1.4 another report")
    before = event_count()

    with pytest.raises(TransitionNotAllowed, match="The report's PDF file no longer matches"):
        actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN)

    assert event_count() == before
    report.refresh_from_db()
    assert report.state == "awaiting_approval"
    page = signed_in(cast.qa_lead).get(f"/validation/{report.pk}/")
    assert b'data-testid="files-changed"' in page.content


@pytest.mark.verifies("VAL-029", refusal=True)
def test_a_failed_validation_is_approved_only_with_a_justification(cast):
    report = store()  # the made-up run verifies none of the real requirements: failed
    assert report.passed is False
    before = event_count()

    with pytest.raises(InvalidInput, match="Give a reason"):
        actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN)
    assert event_count() == before
    assert manifestations(report) == []

    actions.approve_report(
        actor=cast.qa_lead,
        report=report,
        credentials=SIGN,
        comment="Only PostgreSQL-only tests were skipped: this instance runs SQLite.",
    )
    approved = events_since(before)[-1]
    assert changes_of(approved)["step"] == "approve_with_deviations"
    assert approved.reason.startswith("Only PostgreSQL-only tests were skipped")


@pytest.mark.verifies("VAL-029")
def test_a_passed_validation_is_approved_without_a_comment(cast):
    from .test_validate_command import every_requirement_tested

    report = store(every_requirement_tested())
    assert report.passed is True
    before = event_count()

    actions.approve_report(actor=cast.qa_lead, report=report, credentials=SIGN)

    assert changes_of(events_since(before)[-1])["step"] == "approve"
    report.refresh_from_db()
    assert report.state == "approved"
