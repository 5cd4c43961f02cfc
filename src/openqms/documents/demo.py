"""Demo records: a quality manual, a quality policy and a document-control SOP in
realistic states (one superseded revision, an SOP's revision B in draft — the training
demo submits and approves it — and a work instruction waiting for its two named reviewers, one of
whom has left a comment). Every submission names its reviewers and approvers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.documents import actions
from openqms.documents.models import Document, DocumentType


def _submit(revision, author, reviewers, approvers, days=14):
    due = timezone.localdate() + dt.timedelta(days=days)
    return actions.take_step(
        actor=author,
        revision=revision,
        step="submit",
        reviewers=reviewers,
        approvers=approvers,
        due_date=due,
    )


def _approve(revision, author, reviewer, approver, credentials):
    revision = _submit(revision, author, [reviewer], [approver])
    if revision.document.doc_type.needs_review:
        actions.take_step(actor=reviewer, revision=revision, step="review", credentials=credentials)
    return actions.take_step(
        actor=approver, revision=revision, step="approve", credentials=credentials
    )


def document_in_force(
    *,
    people: dict[str, User],
    doc_type: str,
    title: str,
    body: str,
    clauses: list[str],
    reason: str,
    password: str,
) -> Document:
    """For other modules' demos: a controlled document of `doc_type`, written by
    "author", reviewed by "reviewer" and approved by "approver" with signatures, in force
    (or the one already titled so)."""
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    sign = Credentials(password)
    draft = actions.create_document(
        actor=people["author"],
        doc_type=DocumentType.objects.get(code=doc_type),
        title=title,
        clauses=clauses,
        body=body,
    )
    draft = actions.edit_draft(
        actor=people["author"],
        revision=draft,
        body=body,
        change_summary="First issue",
        change_reason=reason,
    )
    draft = _submit(draft, people["author"], [people["reviewer"]], [people["approver"]])
    actions.take_step(actor=people["reviewer"], revision=draft, step="review", credentials=sign)
    revision = actions.take_step(
        actor=people["approver"], revision=draft, step="approve", credentials=sign
    )
    return revision.document


def seed_documents(password: str) -> None:
    if Document.objects.exists():
        return
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["qa", "author", "reviewer", "approver"])
    }
    if len(people) < 4:
        return
    qa, author, reviewer, approver = (people[n] for n in ("qa", "author", "reviewer", "approver"))
    sign = Credentials(password)
    types = {t.code: t for t in DocumentType.objects.all()}

    manual = actions.create_document(
        actor=qa,
        doc_type=types["quality_manual"],
        title="Quality manual",
        clauses=["4.1", "4.2.2"],
        change_reason="First issue",
        body=MANUAL,
    )
    _approve(manual, qa, reviewer, approver, sign)

    policy = actions.create_document(
        actor=qa,
        doc_type=types["quality_policy"],
        title="Quality policy",
        clauses=["5.3"],
        change_reason="First issue",
        body=POLICY_A,
    )
    _approve(policy, qa, reviewer, approver, sign)
    policy_b = actions.start_revision(
        actor=qa, document=policy.document, change_reason="Add the UK MDR 2002 commitment"
    )
    policy_b = actions.edit_draft(
        actor=qa,
        revision=policy_b,
        body=POLICY_B,
        change_summary="Commitment to UK MDR 2002 added",
        change_reason="Add the UK MDR 2002 commitment",
    )
    _approve(policy_b, qa, reviewer, approver, sign)  # A becomes superseded

    sop = actions.create_document(
        actor=author,
        doc_type=types["procedure"],
        title="Control of documents",
        clauses=["4.2.4"],
        change_reason="First issue",
        body=SOP_A,
    )
    _approve(sop, author, reviewer, approver, sign)
    sop_b = actions.start_revision(
        actor=author, document=sop.document, change_reason="Electronic signatures replace wet ink"
    )
    sop_b = actions.edit_draft(
        actor=author,
        revision=sop_b,
        body=SOP_B,
        change_summary="Section 5: electronic signatures",
        change_reason="Electronic signatures replace wet ink",
    )
    # A draft here: the training demo submits it once the reviewer and approver are
    # trained on revision A (the gate is on for procedures, and submitting names only
    # people who could sign), then reviews and approves it.

    instruction = actions.create_document(
        actor=author,
        doc_type=types["work_instruction"],
        title="Release of a software version",
        clauses=["7.5.1"],
        change_reason="First issue",
        body=WI_A,
    )
    instruction = _submit(instruction, author, [reviewer, qa], [approver], days=5)
    actions.add_review_comment(
        actor=reviewer,
        revision=instruction,
        quote="the build's SHA-256 is recorded with it",
        text="Say where the SHA-256 is recorded: the release record or the build log?",
    )


WI_A = """# Release of a software version

## 1. Before release
All verification tests pass on the release build; open anomalies are assessed.

## 2. Release
QA signs the release record; the build's SHA-256 is recorded with it.
"""
MANUAL = """# Quality manual

## 1. Scope
This quality management system covers the design, development, production and
post-market surveillance of our software as a medical device.

## 2. Exclusions
Clause 7.5.5 (sterile medical devices) does not apply: our products are software.
"""
POLICY_A = """# Quality policy

We make safe and effective medical devices and keep our quality system effective.
"""
POLICY_B = (
    POLICY_A
    + """
We meet the UK Medical Device Regulations 2002 and every other regulation that applies
to our devices.
"""
)
SOP_A = """# Control of documents

## 1. Purpose
How controlled documents are written, reviewed, approved, issued and withdrawn.

## 2. Approval
Each revision is reviewed and approved before use; approvals are signed.
"""
SOP_B = (
    SOP_A
    + """
## 5. Electronic signatures
Review and approval are electronic signatures in OpenQMS (21 CFR Part 11).
"""
)
