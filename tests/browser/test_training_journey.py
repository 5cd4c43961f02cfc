"""The training journey in Chromium: an SOP's new revision becomes effective when the
approver signs it, the trainee finds the training in My tasks, reads the revision, signs
"read and understood", and the QA lead's matrix shows them current."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from openqms.core import chain
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, make_cast, named
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState

from .test_document_journey import sign_in, sign_in_dialog, sign_out

SIGN = Credentials(PASSWORD)


def _sop_with_revision_b_in_review(cast):
    sop_type = DocumentType.objects.get(code="procedure")
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop_type)
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    rev_a = documents.create_document(
        actor=cast.author,
        doc_type=sop_type,
        title="Cleaning of equipment",
        body="# Cleaning\n\nWipe with 70% alcohol.",
        change_reason="First issue",
    )
    for actor, step in [
        (cast.author, "submit"),
        (cast.reviewer, "review"),
        (cast.approver, "approve"),
    ]:
        credentials = None if step == "submit" else SIGN
        names = named(cast) if step == "submit" else {}
        rev_a = documents.take_step(
            actor=actor, revision=rev_a, step=step, credentials=credentials, **names
        )
    (on_a,) = Assignment.objects.filter(person=cast.trainee, revision=rev_a)
    actions.sign_trained(actor=cast.trainee, assignment=on_a, credentials=SIGN)
    rev_b = documents.start_revision(
        actor=cast.author, document=rev_a.document, change_reason="Drying time"
    )
    rev_b = documents.edit_draft(
        actor=cast.author,
        revision=rev_b,
        body="# Cleaning\n\nWipe with 70% alcohol. Let it dry for two minutes.",
        change_summary="Drying time added",
        change_reason="Drying time",
    )
    rev_b = documents.take_step(actor=cast.author, revision=rev_b, step="submit", **named(cast))
    return documents.take_step(actor=cast.reviewer, revision=rev_b, step="review", credentials=SIGN)


def test_a_new_sop_revision_is_trained_on_and_the_matrix_shows_the_trainee_current(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    cast = make_cast()
    rev_b = _sop_with_revision_b_in_review(cast)

    # The approver signs revision B: it becomes effective and assigns the training.
    sign_in(page, "approver")
    page.get_by_role("link", name="Approve SOP-001 rev B: Cleaning of equipment").click()
    sign_in_dialog(page, "Approve", "Approved")
    sign_out(page)
    (assignment,) = Assignment.objects.filter(person=cast.trainee, revision=rev_b)
    assert assignment.state == AssignmentState.OPEN

    # The trainee finds it in My tasks, reads the revision and signs it.
    sign_in(page, "trainee")
    page.get_by_role("link", name="Train on SOP-001 rev B: Cleaning of equipment").click()
    expect(page.get_by_text("Let it dry for two minutes.")).to_be_visible()
    page.screenshot(path=str(shots / "training-assignment.png"), full_page=True)
    sign_in_dialog(page, "Read and understood", "Read and understood (trained)")
    expect(page.locator(".signatures")).to_contain_text("Taylor Trainee")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.COMPLETED
    sign_out(page)

    # The QA lead's matrix shows the trainee current on revision B.
    sign_in(page, "qa-lead")
    page.goto("/training/matrix/")
    row = page.locator("tr", has_text="Taylor Trainee")
    expect(row).to_contain_text("Current")
    expect(page.locator("thead")).to_contain_text("SOP-001")
    page.screenshot(path=str(shots / "training-matrix.png"), full_page=True)
    assert chain.verify_chain().ok
