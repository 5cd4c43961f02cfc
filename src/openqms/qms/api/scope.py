"""The QMS scope over the API: its versions, the draft's content, every lifecycle step
(approval signed with the password in the body), certification and the approved body's
notification. Everyone signed in reads; the steps need their permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.access import require_or_404
from openqms.core.api import SignatureIn, signatures_out
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.qms import access
from openqms.qms.actions import scope as actions
from openqms.qms.api import router
from openqms.qms.api.auth import AUTH
from openqms.qms.models import Certificate, DeviceFamily, Process, ScopeVersion, Site
from openqms.qms.registry import CERTIFICATION, SCOPE_EDIT

TAG = ["qms: scope"]
PAGE_SIZE = 50


class ExclusionIO(Schema):
    clause: str = Field(max_length=20)
    kind: str = Field(max_length=20, description="excluded or not_applicable")
    what: str = Field(max_length=2000)
    justification: str = Field(max_length=4000)


class ScopeIn(Schema):
    statement: str = Field(max_length=10_000)
    sites: list[str] = Field([], description="Site names")
    families: list[str] = Field([], description="Device family codes")
    processes: list[str] = Field([], description="Process codes")
    exclusions: list[ExclusionIO] = []
    change_summary: str = Field("", max_length=2000)


class NotificationOut(Schema):
    id: int
    state: str
    certified_scope: int
    summary: str
    sent_on: dt.date | None
    reference: str
    answer: str
    answered_on: dt.date | None
    answer_text: str
    reassessed_on: dt.date | None
    reassessment: str


class ScopeOut(Schema):
    number: int
    state: str
    statement: str
    sites: list[str]
    families: list[str]
    processes: list[str]
    exclusions: list[ExclusionIO]
    change_summary: str
    created_by: str
    in_force_at: dt.datetime | None
    superseded_at: dt.datetime | None
    certificate: str | None
    certified_on: dt.date | None
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    signatures: list[dict[str, Any]]
    steps: list[str] = Field(description="The steps you may take now")
    notification: NotificationOut | None


class ScopeRow(Schema):
    number: int
    state: str
    in_force_at: dt.datetime | None
    certified_on: dt.date | None


class StepIn(Schema):
    reason: str = Field("", max_length=1000)


class CertifyIn(Schema):
    certificate_id: int
    certified_on: dt.date


class SummaryIn(Schema):
    summary: str = Field(max_length=10_000)


class SentIn(Schema):
    sent_on: dt.date
    reference: str = Field(max_length=100)


class AnswerIn(Schema):
    answer: str = Field(max_length=20, description="no_reassessment or required")
    answered_on: dt.date
    answer_text: str = Field("", max_length=10_000)


class ReassessedIn(Schema):
    reassessed_on: dt.date
    reassessment: str = Field(max_length=2000, description="The report's reference and outcome")


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)


def _scope_out(scope: ScopeVersion, user) -> dict[str, Any]:
    content = scope.content()
    n = getattr(scope, "notification", None)
    return {
        **{k: getattr(scope, k) for k in ("number", "state", "change_summary", "in_force_at")},
        **content,
        "sites": sorted(scope.sites.values_list("name", flat=True)),
        "families": sorted(scope.families.values_list("code", flat=True)),
        "processes": sorted(scope.processes.values_list("code", flat=True)),
        "exclusions": [
            dict(zip(("clause", "kind", "what", "justification"), e, strict=True))
            for e in content["exclusions"]
        ],
        "superseded_at": scope.superseded_at,
        "created_by": scope.created_by.full_name,
        "certificate": str(scope.certificate) if scope.certificate_id else None,
        "certified_on": scope.certified_on,
        "content_sha256": content_hash(scope.signature_content()),
        "signatures": signatures_out(scope),
        "steps": [t.name for t in actions.LIFECYCLE.available(scope, user)],
        "notification": None
        if n is None
        else {**vars(n), "certified_scope": n.certified_scope.number},
    }


def _named(model, field: str, values: list[str], label: str) -> list:
    found = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": values})}
    missing = sorted(set(values) - set(found))
    if missing:
        raise InvalidInput(f"Unknown {label}: {', '.join(missing)}.", fields={label: "Unknown."})
    return [found[v] for v in values]


@router.get("/scope", response=list[ScopeRow], tags=TAG, auth=AUTH)
def scope_list(request: AuthenticatedHttpRequest, q: Query[Paging]):
    start = (q.page - 1) * PAGE_SIZE
    return list(ScopeVersion.objects.all()[start : start + PAGE_SIZE])


@router.get("/scope/{number}", response=ScopeOut, tags=TAG, auth=AUTH)
def scope_read(request: AuthenticatedHttpRequest, number: int):
    return _scope_out(access.get_scope_for_user(request.user, number), request.user)


@router.post("/scope", response={201: ScopeOut}, tags=TAG, auth=AUTH)
def scope_start(request: AuthenticatedHttpRequest):
    """A new draft, a copy of the version in force."""
    require_or_404(request.user, SCOPE_EDIT)
    scope = actions.start_scope_version(actor=request.user)
    return Status(201, _scope_out(scope, request.user))


@router.put("/scope/{number}", response=ScopeOut, tags=TAG, auth=AUTH)
def scope_edit(request: AuthenticatedHttpRequest, number: int, body: ScopeIn):
    scope = access.get_scope_for_user(request.user, number, need=SCOPE_EDIT)
    scope = actions.edit_scope(
        actor=request.user,
        scope=scope,
        statement=body.statement,
        sites=_named(Site, "name", body.sites, "sites"),
        families=_named(DeviceFamily, "code", body.families, "families"),
        processes=_named(Process, "code", body.processes, "processes"),
        exclusions=[actions.Exclusion(**e.dict()) for e in body.exclusions],
        change_summary=body.change_summary,
    )
    return _scope_out(scope, request.user)


@router.post("/scope/{number}/approve", response=ScopeOut, tags=TAG, auth=AUTH)
def scope_approve(request: AuthenticatedHttpRequest, number: int, body: SignatureIn):
    """Top management's signature (meaning "QMS scope approved")."""
    scope = access.get_scope_for_user(request.user, number)
    scope = actions.take_scope_step(
        actor=request.user,
        scope=scope,
        step="approve",
        reason=body.reason,
        credentials=body.credentials(),
    )
    return _scope_out(scope, request.user)


@router.post("/scope/{number}/steps/{step}", response=ScopeOut, tags=TAG, auth=AUTH)
def scope_step(request: AuthenticatedHttpRequest, number: int, step: str, body: StepIn):
    """submit, return (reason required) or put_in_force; approval is /approve."""
    scope = access.get_scope_for_user(request.user, number)
    if step == "approve":
        raise TransitionNotAllowed("Approval is signed: POST to /approve with your password.")
    scope = actions.take_scope_step(actor=request.user, scope=scope, step=step, reason=body.reason)
    return _scope_out(scope, request.user)


@router.post("/scope/{number}/certify", response=ScopeOut, tags=TAG, auth=AUTH)
def scope_certify(request: AuthenticatedHttpRequest, number: int, body: CertifyIn):
    scope = access.get_scope_for_user(request.user, number, need=CERTIFICATION)
    certificate = Certificate.objects.filter(pk=body.certificate_id).first()
    if certificate is None:
        raise InvalidInput("There is no such certificate.", fields={"certificate_id": "Unknown."})
    scope = actions.mark_scope_certified(
        actor=request.user, scope=scope, certificate=certificate, certified_on=body.certified_on
    )
    return _scope_out(scope, request.user)


def _notification(request: AuthenticatedHttpRequest, pk: int):
    return access.get_notification_for_user(request.user, pk, need=CERTIFICATION)


@router.post("/scope-notifications/{pk}/summary", response=NotificationOut, tags=TAG, auth=AUTH)
def notification_summary(request: AuthenticatedHttpRequest, pk: int, body: SummaryIn):
    n = actions.edit_notification_summary(
        actor=request.user, notification=_notification(request, pk), summary=body.summary
    )
    return {**vars(n), "certified_scope": n.certified_scope.number}


@router.post("/scope-notifications/{pk}/sent", response=NotificationOut, tags=TAG, auth=AUTH)
def notification_sent(request: AuthenticatedHttpRequest, pk: int, body: SentIn):
    n = actions.record_notification_sent(
        actor=request.user,
        notification=_notification(request, pk),
        sent_on=body.sent_on,
        reference=body.reference,
    )
    return {**vars(n), "certified_scope": n.certified_scope.number}


@router.post("/scope-notifications/{pk}/answer", response=NotificationOut, tags=TAG, auth=AUTH)
def notification_answer(request: AuthenticatedHttpRequest, pk: int, body: AnswerIn):
    n = actions.record_body_answer(
        actor=request.user,
        notification=_notification(request, pk),
        answer=body.answer,
        answered_on=body.answered_on,
        answer_text=body.answer_text,
    )
    return {**vars(n), "certified_scope": n.certified_scope.number}


@router.post("/scope-notifications/{pk}/reassessed", response=NotificationOut, tags=TAG, auth=AUTH)
def notification_reassessed(request: AuthenticatedHttpRequest, pk: int, body: ReassessedIn):
    """After a "required" answer: the approved body's reassessment, done."""
    n = actions.record_reassessment(
        actor=request.user,
        notification=_notification(request, pk),
        reassessed_on=body.reassessed_on,
        reassessment=body.reassessment,
    )
    return {**vars(n), "certified_scope": n.certified_scope.number}
