"""A small instance with a little of everything `openqms verify` reconciles: an effective
procedure with an attached file, approved with signatures, then revised (open training on
the old revision closed as superseded); training signed, and training completed in a
signed classroom session; a revision returned once (a voided signature); a role granted
and revoked; a deactivated account; a competence record with an expiry date."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openqms.core import actions as core
from openqms.core.models import Role
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType, Revision
from openqms.testing import Cast, named
from openqms.training import actions as training
from openqms.training.models import Assignment, CompetenceRecord
from tests.training.conftest import SIGN, approve, new_revision

PDF = b"%PDF-1.4 the flowchart " + b"x" * 64


@dataclass(frozen=True)
class World:
    effective: Revision  # SOP-001 rev A, with Flowchart.pdf (superseded by rev B)
    in_review: Revision  # SOP-002 rev A, returned once, then submitted again
    assignment: Assignment  # the trainee's, signed "trained"
    competence: CompetenceRecord


def build(cast: Cast) -> World:
    sop_type = DocumentType.objects.get(code="procedure")
    role = training.create_job_role(actor=cast.qa_lead, name="Engineer")
    training.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop_type)
    training.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    training.take_job_role(actor=cast.qa_lead, person=cast.auditor, job_role=role)

    draft = documents.create_document(actor=cast.author, doc_type=sop_type, title="Control")
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body="1. Purpose",
        change_summary="First issue",
        change_reason="New",
    )
    documents.attach_file(
        actor=cast.author, revision=draft, name="Flowchart.pdf", content=io.BytesIO(PDF)
    )
    effective = approve(cast, draft)
    assignment = Assignment.objects.get(person=cast.trainee, revision=effective)
    training.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    session = training.record_session(
        actor=cast.qa_lead,
        revision=effective,
        trainer=cast.trainee,
        held_on=dt.date.today(),
        attendees=[cast.approver],
        material="Walked through the procedure",
    )
    training.sign_session(actor=cast.trainee, session=session, credentials=SIGN)
    new_revision(cast, effective)  # the auditor's open training on rev A is superseded

    second = documents.create_document(
        actor=cast.author, doc_type=sop_type, title="Records", body="1. Purpose"
    )
    second = documents.take_step(actor=cast.author, revision=second, step="submit", **named(cast))
    documents.take_step(actor=cast.reviewer, revision=second, step="review", credentials=SIGN)
    second = documents.take_step(
        actor=cast.reviewer, revision=second, step="reject", reason="Unclear"
    )
    second = documents.take_step(actor=cast.author, revision=second, step="submit", **named(cast))

    author_role = Role.objects.get(code="author")
    core.grant_role(actor=cast.admin, user=cast.auditor, role=author_role, reason="Cover")
    core.revoke_role(actor=cast.admin, user=cast.auditor, role=author_role, reason="Back")
    core.deactivate_user(actor=cast.admin, user=cast.outsider, reason="Left")

    competence = training.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="GCP course",
        obtained_on=dt.date(2025, 1, 10),
        expires_on=dt.date(2027, 1, 10),
    )
    effective = Revision.objects.get(pk=effective.pk)
    return World(effective, second, Assignment.objects.get(pk=assignment.pk), competence)
