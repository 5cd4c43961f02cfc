"""Document control endpoints (ISO 13485 4.2.4): list and read documents and revisions,
write drafts, take the review steps (signed with the password in the body), withdraw.

Objects come only through `documents.access` (404 for missing and forbidden alike) and
every change goes through `documents.actions`, so the pages and the API audit the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db import connection
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from ninja import Field, Query, Router, Schema, Status

from openqms.core.api import SignatureOut, signatures_out
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.signatures import Credentials, content_hash
from openqms.core.signing import signer_credentials
from openqms.documents import access, actions, assignments
from openqms.documents.models import Document, DocumentType, Revision, RevisionState
from openqms.documents.views.files import file_response, pdf_response

router = Router(tags=["documents"])

MAX_BODY = 1_000_000  # characters of Markdown; the request size limit comes first anyway


# -- schemas ------------------------------------------------------------------------------


class CurrentRevisionOut(Schema):
    label: str
    state: RevisionState
    effective_date: dt.date | None
    became_effective_at: dt.datetime | None


class DocumentSummaryOut(Schema):
    number: str
    title: str
    type: str
    owner: str
    clauses: list[str]
    next_review: dt.date | None
    withdrawn: bool
    current_revision: CurrentRevisionOut | None = Field(
        description="The effective revision, else the newest one you may see"
    )


class DocumentPage(Schema):
    items: list[DocumentSummaryOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it alike on every engine


class DocumentQuery(Schema):
    type: str = Field("", max_length=50, pattern=NO_NUL, description="Document type code")
    status: RevisionState | None = Field(None, description="State of the current revision")
    owner: str = Field("", max_length=150, pattern=NO_NUL, description="The owner's username")
    clause: str = Field("", max_length=20, pattern=NO_NUL, description="e.g. 4.2.4")
    q: str = Field(
        "", max_length=200, pattern=NO_NUL, description="Part of the number or title, any case"
    )
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class RevisionSummaryOut(Schema):
    label: str
    state: RevisionState
    author: str = Field(description="The author's username")
    author_name: str = Field(description="The author's full name")
    created_at: dt.datetime
    effective_date: dt.date | None
    became_effective_at: dt.datetime | None
    ended_at: dt.datetime | None


class DocumentOut(Schema):
    number: str
    title: str
    type: str
    type_name: str
    owner: str
    owner_name: str
    clauses: list[str]
    created_at: dt.datetime
    next_review: dt.date | None
    withdrawn: bool
    withdrawn_at: dt.datetime | None
    withdraw_reason: str
    revisions: list[RevisionSummaryOut] = Field(
        description="The revisions you may see, newest first"
    )
    allowed_steps: list[str] = Field(
        description="What you may do to the document now: start_revision, periodic_review, withdraw"
    )


class AttachmentOut(Schema):
    name: str
    sha256: str
    size: int = Field(description="Bytes")


class NamedOut(Schema):
    id: int = Field(description="Send it to /named/{id}/reassign to replace the person")
    role: str = Field(description="reviewer or approver")
    position: int = Field(description="Order within the role (signing order in sequence mode)")
    person: str
    person_name: str
    due_date: dt.date
    signed_at: dt.datetime | None


class CommentOut(Schema):
    id: int
    author: str
    author_name: str
    text: str
    quote: str
    created_at: dt.datetime
    resolved: bool
    resolved_by: str | None
    resolved_at: dt.datetime | None
    reply: str


class RevisionOut(RevisionSummaryOut):
    number: str
    title: str
    body: str = Field(description="Markdown")
    change_summary: str
    change_reason: str
    attachments: list[AttachmentOut] = Field(description="Original files, part of what is signed")
    content_hash: str = Field(
        description="SHA-256 of what review and approval sign; send it back when signing"
    )
    draft_version: str = Field(
        description="The version of the editable content (body, change summary and reason, "
        "effective date); send it back as `based_on` when you save the draft"
    )
    signatures: list[SignatureOut]
    retraining_needed: bool = Field(
        description="False when the approver decided this minor change needs no retraining"
    )
    retraining_justification: str = Field(description="The approver's reason, if so")
    allowed_steps: list[str] = Field(
        description="The steps you may take on this revision now (submit, review, approve, "
        "reject), from the document lifecycle table; post one to /{step}"
    )
    approval_mode: str = Field(description="all, any or sequence (the document type's)")
    named: list[NamedOut] = Field(description="The people named to review and approve it")
    comments: list[CommentOut] = Field(description="Review comments, kept with the revision")


Clause = Annotated[str, Field(min_length=1, max_length=20)]


class DocumentIn(Schema):
    type: str = Field(min_length=1, max_length=50, description="Document type code")
    title: str = Field(min_length=1, max_length=200)
    number: str = Field(
        "",
        max_length=30,
        description="Empty: the type's next number; else an existing number to keep, in the "
        "type's form (prefix, hyphen, its digits: SOP-014)",
    )
    clauses: list[Clause] = Field([], max_length=50)
    body: str = Field("", max_length=MAX_BODY, description="Markdown")
    change_reason: str = Field("First issue", min_length=1, max_length=2000)


class RevisionStartIn(Schema):
    change_reason: str = Field(min_length=1, max_length=2000)


class DraftIn(Schema):
    """The whole editable content of a draft (PUT replaces it)."""

    body: str = Field(max_length=MAX_BODY, description="Markdown")
    change_summary: str = Field("", max_length=2000)
    change_reason: str = Field(min_length=1, max_length=2000)
    effective_date: dt.date | None = Field(
        None, description="Today or later; none: effective as soon as approved"
    )
    based_on: str = Field(
        min_length=1,
        max_length=64,
        description="The `draft_version` of the copy you changed; if the draft was saved "
        "since, nothing is saved and the answer is 409 with the draft as it is now",
    )


class StaleDraftOut(Schema):
    code: str = Field(description="stale_draft")
    message: str
    fields: dict[str, str]
    current_version: str = Field(description="The draft's `draft_version` now")
    current: RevisionOut = Field(description="The draft as it is now")


class TakeOverIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class OwnerIn(Schema):
    owner: str = Field(min_length=1, max_length=150, description="The new owner's username")
    reason: str = Field(min_length=1, max_length=2000)


Username = Annotated[str, Field(min_length=1, max_length=150)]


class StepIn(Schema):
    """Submit and reject need no signature; review and approve need the password again
    (and the second-factor code where enrolled)."""

    password: str = Field("", max_length=256)
    otp_code: str = Field("", max_length=20)
    reason: str = Field("", max_length=1000, description="Required to return a revision")
    content_hash: str = Field(
        "",
        max_length=64,
        description="The content SHA-256 you reviewed (required with a password); if the "
        "revision changed since, nothing is signed (409)",
    )
    no_retraining: str | None = Field(
        None,
        max_length=2000,
        description="Approve only, on a later revision: the approver's justification that "
        "this minor change needs no retraining (people trained on the previous revision "
        "stay current). Omit it when training is needed.",
    )
    reviewers: list[Username] = Field(
        [], max_length=20, description="Submit only: usernames of the reviewers, in order"
    )
    approvers: list[Username] = Field(
        [], max_length=20, description="Submit only: usernames of the approvers, in order"
    )
    due_date: dt.date | None = Field(None, description="Submit only: review and approval due by")

    def credentials(self) -> Credentials | None:
        # No password, no credentials: the lifecycle table decides whether the step needs
        # them; with one, the content hash the signer was shown is required.
        if not self.password:
            return None
        return signer_credentials(
            password=self.password, otp_code=self.otp_code, content_hash=self.content_hash
        )


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=4000)
    quote: str = Field("", max_length=500, description="The passage the comment is about")


class ResolveIn(Schema):
    reply: str = Field("", max_length=4000)


class ReassignIn(Schema):
    person: Username = Field(description="Username of the person who takes the place")
    reason: str = Field(min_length=1, max_length=2000)


class WithdrawIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


# -- helpers ------------------------------------------------------------------------------


def _current_revision(user: User) -> QuerySet[Revision]:
    """Per document (OuterRef), the effective revision, else the newest visible one."""
    effective_first = Case(When(state=RevisionState.EFFECTIVE, then=Value(0)), default=Value(1))
    return (
        access.visible_revisions(user)
        .filter(document=OuterRef("pk"))
        .order_by(effective_first, "-sequence")
    )


def _serving_clause(documents: QuerySet[Document], clause: str) -> QuerySet[Document]:
    if connection.vendor == "postgresql":
        return documents.filter(clauses__contains=[clause])
    # SQLite has no JSON containment lookup; look for the element with json_each.
    table = Document._meta.db_table  # a constant; the clause goes in as a parameter
    sql = f"SELECT d.id FROM {table} d, json_each(d.clauses) c WHERE c.value = %s"  # noqa: S608
    return documents.filter(pk__in=RawSQL(sql, [clause]))  # noqa: S611 - parameter


def _filtered(documents: QuerySet[Document], q: DocumentQuery) -> QuerySet[Document]:
    if q.type:
        documents = documents.filter(doc_type__code=q.type)
    if q.status:
        documents = documents.filter(current_state=q.status)  # type: ignore[misc]
    if q.owner:
        documents = documents.filter(owner__username=q.owner)
    if q.clause:
        documents = _serving_clause(documents, q.clause)
    if q.q:
        documents = documents.filter(Q(number__icontains=q.q) | Q(title__icontains=q.q))
    return documents


def _current_out(revision: Revision | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    return {
        "label": revision.label,
        "state": revision.state,
        "effective_date": revision.effective_date,
        "became_effective_at": revision.became_effective_at,
    }


def _summary_out(document: Document, current: Revision | None) -> dict[str, Any]:
    return {
        "number": document.number,
        "title": document.title,
        "type": document.doc_type.code,
        "owner": document.owner.username,
        "clauses": document.clauses,
        "next_review": document.next_review,
        "withdrawn": document.withdrawn_at is not None,
        "current_revision": _current_out(current),
    }


def _revision_summary_out(revision: Revision) -> dict[str, Any]:
    return {
        "label": revision.label,
        "state": revision.state,
        "author": revision.author.username,
        "author_name": revision.author.full_name,
        "created_at": revision.created_at,
        "effective_date": revision.effective_date,
        "became_effective_at": revision.became_effective_at,
        "ended_at": revision.ended_at,
    }


def _revision_out(user: User, revision: Revision) -> dict[str, Any]:
    return {
        **_revision_summary_out(revision),
        "number": revision.document.number,
        "title": revision.document.title,
        "body": revision.body,
        "change_summary": revision.change_summary,
        "change_reason": revision.change_reason,
        "attachments": [
            {"name": a.name, "sha256": a.stored_file.sha256, "size": a.stored_file.size}
            for a in revision.attachments.select_related("stored_file").order_by("name")
        ],
        "content_hash": content_hash(revision.signature_content()),
        "draft_version": actions.draft_version(revision),
        "signatures": signatures_out(revision),
        "retraining_needed": revision.retraining_needed,
        "retraining_justification": revision.retraining_justification,
        "allowed_steps": [t.name for t in actions.LIFECYCLE.available(revision, user)],
        "approval_mode": revision.document.doc_type.approval_mode,
        "named": [
            {
                "id": a.pk,
                "role": a.role,
                "position": a.position,
                "person": a.person.username,
                "person_name": a.person.full_name,
                "due_date": a.due_date,
                "signed_at": a.signed_at,
            }
            for a in assignments.live(revision)
        ],
        "comments": [
            {
                "id": c.pk,
                "author": c.author.username,
                "author_name": c.author.full_name,
                "text": c.text,
                "quote": c.quote,
                "created_at": c.created_at,
                "resolved": c.resolved_at is not None,
                "resolved_by": c.resolved_by.username if c.resolved_by else None,
                "resolved_at": c.resolved_at,
                "reply": c.reply,
            }
            for c in revision.review_comments.select_related("author", "resolved_by")
        ],
    }


def _people(usernames: list[str], field: str) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if missing := [name for name in usernames if name not in found]:
        raise InvalidInput(f"No such person: {', '.join(missing)}.", fields={field: "Unknown."})
    return [found[name] for name in usernames]


def _document_out(user: User, document: Document) -> dict[str, Any]:
    revisions = access.visible_revisions(user).filter(document=document).order_by("-sequence")
    return {
        "number": document.number,
        "title": document.title,
        "type": document.doc_type.code,
        "type_name": document.doc_type.name,
        "owner": document.owner.username,
        "owner_name": document.owner.full_name,
        "clauses": document.clauses,
        "created_at": document.created_at,
        "next_review": document.next_review,
        "withdrawn": document.withdrawn_at is not None,
        "withdrawn_at": document.withdrawn_at,
        "withdraw_reason": document.withdraw_reason,
        "revisions": [_revision_summary_out(r) for r in revisions],
        "allowed_steps": actions.document_steps(document, user),
    }


def _document_type(code: str) -> DocumentType:
    doc_type = DocumentType.objects.filter(code=code).first()
    if doc_type is None:
        raise InvalidInput(
            f"There is no document type “{code}”.", fields={"type": "Unknown document type."}
        )
    return doc_type


# -- endpoints ----------------------------------------------------------------------------


@router.get("", response=DocumentPage)
def document_list(request: AuthenticatedHttpRequest, q: Query[DocumentQuery]):
    """The documents you may see, by number, with their current revision."""
    access.require_reader(request.user)
    current = _current_revision(request.user)
    documents = access.visible_documents(request.user).annotate(
        current_id=Subquery(current.values("pk")[:1]),
        current_state=Subquery(current.values("state")[:1]),
    )
    rows = list(_filtered(documents, q).order_by("number")[q.offset : q.offset + q.limit + 1])
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    revisions = Revision.objects.in_bulk([d.current_id for d in rows if d.current_id])  # type: ignore[attr-defined]
    return {
        "items": [_summary_out(d, revisions.get(d.current_id)) for d in rows],  # type: ignore[attr-defined]
        "next_offset": q.offset + q.limit if more else None,
    }


@router.post("", response={201: RevisionOut})
def document_create(request: AuthenticatedHttpRequest, body: DocumentIn):
    """A new document, numbered from its type, with revision A (or 1) as a draft."""
    access.require_reader(request.user)
    revision = actions.create_document(
        actor=request.user,
        doc_type=_document_type(body.type),
        title=body.title,
        number=body.number,
        clauses=body.clauses,
        body=body.body,
        change_reason=body.change_reason,
    )
    return Status(201, _revision_out(request.user, revision))


@router.get("/{number}", response=DocumentOut)
def document_detail(request: AuthenticatedHttpRequest, number: str):
    return _document_out(request.user, access.get_document_for_user(request.user, number))


@router.post("/{number}/revisions", response={201: RevisionOut})
def revision_start(request: AuthenticatedHttpRequest, number: str, body: RevisionStartIn):
    """The next revision as a draft; the effective one stays in force meanwhile."""
    document = access.get_document_for_user(request.user, number)
    revision = actions.start_revision(
        actor=request.user, document=document, change_reason=body.change_reason
    )
    return Status(201, _revision_out(request.user, revision))


@router.get("/{number}/revisions/{label}", response=RevisionOut)
def revision_detail(request: AuthenticatedHttpRequest, number: str, label: str):
    return _revision_out(request.user, access.get_revision_for_user(request.user, number, label))


@router.put("/{number}/revisions/{label}", response={200: RevisionOut, 409: StaleDraftOut})
def draft_edit(request: AuthenticatedHttpRequest, number: str, label: str, body: DraftIn):
    """Replace a draft's content; only its author may, and only while it is a draft.
    Send the `draft_version` you read as `based_on`: a save based on a stale copy is
    refused (409, nothing saved) with the draft as it is now, to merge and send again."""
    revision = access.get_revision_for_user(request.user, number, label)
    try:
        revision = actions.edit_draft(
            actor=request.user,
            revision=revision,
            body=body.body,
            change_summary=body.change_summary,
            change_reason=body.change_reason,
            effective_date=body.effective_date,
            based_on=body.based_on,
        )
    except actions.StaleDraft as stale:
        return Status(
            409,
            {
                "code": stale.code,
                "message": stale.message,
                "fields": stale.fields,
                "current_version": stale.current_version,
                "current": _revision_out(request.user, stale.current),
            },
        )
    return _revision_out(request.user, revision)


@router.post("/{number}/revisions/{label}/take-over", response=RevisionOut)
def draft_take_over(request: AuthenticatedHttpRequest, number: str, label: str, body: TakeOverIn):
    """Become the author of someone else's draft (document control, with a reason)."""
    revision = access.get_revision_for_user(request.user, number, label)
    revision = actions.take_over_draft(actor=request.user, revision=revision, reason=body.reason)
    return _revision_out(request.user, revision)


@router.post("/{number}/owner", response=DocumentOut)
def document_owner(request: AuthenticatedHttpRequest, number: str, body: OwnerIn):
    """Hand the document to another owner (its owner or document control, with a reason)."""
    document = access.get_document_for_user(request.user, number)
    document = actions.change_owner(
        actor=request.user,
        document=document,
        owner=actions.owner_by_username(body.owner),
        reason=body.reason,
    )
    return _document_out(request.user, document)


@router.post("/{number}/revisions/{label}/comments", response={201: RevisionOut})
def comment_add(request: AuthenticatedHttpRequest, number: str, label: str, body: CommentIn):
    """A named reviewer or approver comments on a revision in review."""
    revision = access.get_revision_for_user(request.user, number, label)
    actions.add_review_comment(
        actor=request.user, revision=revision, text=body.text, quote=body.quote
    )
    return Status(201, _revision_out(request.user, revision))


@router.post("/{number}/revisions/{label}/comments/{comment_id}/resolve", response=RevisionOut)
def comment_resolve(
    request: AuthenticatedHttpRequest, number: str, label: str, comment_id: int, body: ResolveIn
):
    """The revision's author resolves a review comment, with an optional reply."""
    revision = access.get_revision_for_user(request.user, number, label)
    comment = access.get_comment(revision, comment_id)
    actions.resolve_review_comment(actor=request.user, comment=comment, reply=body.reply)
    return _revision_out(request.user, revision)


@router.post("/{number}/revisions/{label}/named/{assignment_id}/reassign", response=RevisionOut)
def named_reassign(
    request: AuthenticatedHttpRequest,
    number: str,
    label: str,
    assignment_id: int,
    body: ReassignIn,
):
    """QA replaces a named reviewer or approver who has not signed, with a reason."""
    revision = access.get_revision_for_user(request.user, number, label)
    assignment = access.get_assignment(revision, assignment_id)
    (person,) = _people([body.person], "person")
    actions.reassign_reviewer(
        actor=request.user, assignment=assignment, person=person, reason=body.reason
    )
    return _revision_out(request.user, revision)


@router.post("/{number}/revisions/{label}/{step}", response=RevisionOut)
def revision_step(
    request: AuthenticatedHttpRequest, number: str, label: str, step: str, body: StepIn
):
    """`step` is submit, review, approve or reject. Submit names the `reviewers` and
    `approvers` and the `due_date`. Review and approve are electronic signatures: send
    the password (and `otp_code` if enrolled) and the `content_hash`."""
    revision = access.get_revision_for_user(request.user, number, label)
    revision = actions.take_step(
        actor=request.user,
        revision=revision,
        step=step,
        reason=body.reason,
        credentials=body.credentials(),
        no_retraining=body.no_retraining,
        reviewers=_people(body.reviewers, "reviewers"),
        approvers=_people(body.approvers, "approvers"),
        due_date=body.due_date,
    )
    return _revision_out(request.user, revision)


@router.post("/{number}/withdraw", response=DocumentOut)
def document_withdraw(request: AuthenticatedHttpRequest, number: str, body: WithdrawIn):
    """Withdraw the document: its effective and open revisions become obsolete (kept)."""
    document = access.get_document_for_user(request.user, number)
    document = actions.withdraw_document(actor=request.user, document=document, reason=body.reason)
    return _document_out(request.user, document)


# -- files --------------------------------------------------------------------------------


class PdfQuery(Schema):
    print: bool = Field(
        False, description="A copy to print: a download marked uncontrolled, naming you"
    )


def _binary(content_type: str, description: str) -> dict[str, Any]:
    schema = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {content_type: schema}}}}


@router.get("/{number}/revisions/{label}/pdf", openapi_extra=_binary("application/pdf", "The PDF"))
def revision_pdf(request: AuthenticatedHttpRequest, number: str, label: str, q: Query[PdfQuery]):
    """The revision as a controlled PDF (inline), or with `print=true` as a download that
    says it is uncontrolled when printed, by whom and when."""
    revision = access.get_revision_for_user(request.user, number, label)
    return pdf_response(revision, printed_by=request.user if q.print else None)


@router.get(
    "/{number}/revisions/{label}/attachments/{name}",
    openapi_extra=_binary("application/octet-stream", "The file's bytes"),
)
def attachment_download(request: AuthenticatedHttpRequest, number: str, label: str, name: str):
    """One of the revision's original files, as stored (its SHA-256 is in the revision)."""
    revision = access.get_revision_for_user(request.user, number, label)
    attachment = revision.attachments.select_related("stored_file").filter(name=name).first()
    if attachment is None:
        raise NotFound()
    return file_response(attachment)


# Django tries the URL patterns in order, and POST /{number}/revisions/{label}/{step}
# (above) would catch GET .../pdf and answer 405: the fixed word goes first.
_PDF_PATH = "/{number}/revisions/{label}/pdf"
router.path_operations = {
    _PDF_PATH: router.path_operations.pop(_PDF_PATH),
    **router.path_operations,
}
