"""CAPA endpoints (/api/v1/events/capas…): the same actions as the pages. A CAPA reads
with its plan, checks, notices and the content SHA-256 to send back when signing its
effectiveness or its closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from ninja import Field, Query, Schema, Status

from openqms.core.api import SignatureIn, signatures_out
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.devices.models import Device
from openqms.events import access
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.api import router
from openqms.events.api.common import AUTH, record_id
from openqms.events.capa_revisions import revisions_changed
from openqms.events.models import Capa, CapaAction, CapaState


class CapaQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)
    state: str = ""
    capa_type: str = ""
    device: int | None = record_id("A device's id")
    owner: str = ""
    overdue: bool = False


class CapaRow(Schema):
    id: int
    number: str
    title: str
    capa_type: str
    state: str
    round: int
    device: int | None = Field(None, alias="device_id")
    owner: str = Field(alias="owner.username")
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    effectiveness_due: dt.date | None
    effectiveness: str


class CapaPage(Schema):
    items: list[CapaRow]
    next_offset: int | None = None


class ReferenceIn(Schema):
    kind: str
    reference: str = Field(max_length=200)


class CapaIn(Schema):
    title: str = Field(max_length=200)
    capa_type: str
    problem: str = Field(max_length=10_000)
    owner: str = Field("", description="username; blank: you")
    device: int | None = record_id("A device's id")
    sources: list[str] = Field(
        [], description='Records it is raised from, e.g. "events.complaint:12"'
    )
    references: list[ReferenceIn] = []


class EditIn(Schema):
    title: str = Field(max_length=200)
    capa_type: str
    problem: str = Field(max_length=10_000)
    risk_severity: int | None = None
    risk_probability: int | None = None
    risk_assessment: str = Field("", max_length=10_000)
    containment: str = Field("", max_length=10_000)


class AnalysisIn(Schema):
    whys: list[str] = Field(max_length=5)
    categories: list[str]
    root_cause: str = Field(max_length=10_000)


class ActionIn(Schema):
    description: str = Field(max_length=2000)
    owner: str
    due: dt.date


class DoneIn(Schema):
    evidence: str = Field(max_length=10_000)


class VerificationIn(Schema):
    checked: str = Field(max_length=10_000)


class CheckPlanIn(Schema):
    criteria: str = Field(max_length=10_000)
    due: dt.date


class ImpactIn(Schema):
    touches_safety: bool
    assessment: str = Field(max_length=10_000)


class NoticeIn(Schema):
    party: str
    told_on: dt.date
    evidence: str = Field(max_length=10_000)


class RevisionIn(Schema):
    revision: str = Field(max_length=60, description='e.g. "SOP-004 rev B"')
    note: str = Field("", max_length=300)


class StepIn(Schema):
    reason: str = Field("", max_length=1000)


class EffectivenessIn(SignatureIn):
    result: str
    evidence: str = Field(max_length=10_000)


def _rows(user: Any) -> Any:
    return access.visible(user, Capa.objects.select_related("owner", "device"))


def _person(username: str, field: str) -> Any:
    found = get_user_model().objects.filter(username=username, is_active=True).first()
    if found is None:
        raise InvalidInput(
            f"There is no active user “{username[:50]}”.", fields={field: "Unknown."}
        )
    return found


def _get(request: AuthenticatedHttpRequest, pk: int) -> Capa:
    return access.get_for_user(request.user, _rows(request.user), pk)


def _out(request: AuthenticatedHttpRequest, capa: Capa) -> dict[str, Any]:
    user = request.user
    return {
        "id": capa.pk,
        "number": capa.number,
        "title": capa.title,
        "capa_type": capa.capa_type,
        "state": capa.state,
        "round": capa.round,
        "device": capa.device_id,
        "owner": capa.owner.username,
        "opened_at": capa.opened_at,
        "closed_at": capa.closed_at,
        "problem": capa.problem,
        "risk_severity": capa.risk_severity,
        "risk_probability": capa.risk_probability,
        "risk_assessment": capa.risk_assessment,
        "containment": capa.containment,
        "whys": capa.whys,
        "cause_categories": capa.cause_categories,
        "root_cause": capa.root_cause,
        "references": [{"kind": r.kind, "reference": r.reference} for r in capa.references.all()],
        "actions": [
            {
                "id": a.pk,
                "round": a.round,
                "description": a.description,
                "owner": a.owner.username,
                "due": a.due.isoformat(),
                "done_at": a.done_at.isoformat() if a.done_at else None,
                "evidence": a.evidence,
            }
            for a in capa.actions.select_related("owner")
        ],
        "verification": capa.verification,
        "verified_at": capa.verified_at,
        "effectiveness_criteria": capa.effectiveness_criteria,
        "effectiveness_due": capa.effectiveness_due,
        "effectiveness": capa.effectiveness,
        "checks": [
            {
                "round": c.round,
                "result": c.result,
                "evidence": c.evidence,
                "checked_by": c.checked_by.full_name,
                "checked_at": c.checked_at.isoformat(),
                "signatures": signatures_out(c),
            }
            for c in capa.checks.select_related("checked_by", "capa")
        ],
        "touches_safety": capa.touches_safety,
        "regulatory_assessment": capa.regulatory_assessment,
        "notices": [
            {"party": n.party, "told_on": n.told_on.isoformat(), "evidence": n.evidence}
            for n in capa.notices.all()
        ],
        "revisions_changed": [
            {
                "revision": f"{r.revision.document.number} rev {r.revision.label}",
                "state": r.revision.state,
                "training_assigned": r.assigned,
                "training_completed": r.completed,
            }
            for r in revisions_changed(user, capa)
        ],
        "content_sha256": content_hash(capa.signature_content()),
        "signatures": signatures_out(capa),
        "steps": [t.name for t in actions.CAPA.available(capa, user) if t.name in actions.STEPS]
        + (["effectiveness"] if actions.effectiveness_refusal(capa, user) is None else []),
    }


@router.get("/capas", response=CapaPage, auth=AUTH)
def capa_list(request: AuthenticatedHttpRequest, q: Query[CapaQuery]):
    rows = _rows(request.user)
    if q.state == "open":
        rows = rows.exclude(state=CapaState.CLOSED)
    elif q.state:
        rows = rows.filter(state=q.state)
    if q.capa_type:
        rows = rows.filter(capa_type=q.capa_type)
    if q.device:
        rows = rows.filter(device_id=q.device)
    if q.owner:
        rows = rows.filter(owner__username=q.owner)
    if q.overdue:
        late = CapaAction.objects.filter(
            capa=OuterRef("pk"),
            round=OuterRef("round"),
            done_at__isnull=True,
            due__lt=timezone.localdate(),
        )
        rows = rows.filter(Exists(late))
    found = list(rows.order_by("-opened_at", "-pk")[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {"items": found[: q.limit], "next_offset": q.offset + q.limit if more else None}


@router.post("/capas", response={201: dict}, auth=AUTH)
def capa_create(request: AuthenticatedHttpRequest, body: CapaIn):
    access.require_reader(request.user)
    device = None
    if body.device is not None:
        device = Device.objects.filter(pk=body.device).first()
        if device is None:
            raise InvalidInput("There is no such device.", fields={"device": "Unknown."})
    made = actions.raise_capa(
        actor=request.user,
        title=body.title,
        capa_type=body.capa_type,
        problem=body.problem,
        owner=_person(body.owner, "owner") if body.owner else None,
        device=device,
        sources=body.sources,
        references=[(r.kind, r.reference) for r in body.references],
    )
    return Status(201, _out(request, _get(request, made.pk)))


@router.get("/capas/{pk}", response=dict, auth=AUTH)
def capa_read(request: AuthenticatedHttpRequest, pk: int):
    return _out(request, _get(request, pk))


def _then(request: AuthenticatedHttpRequest, pk: int) -> dict[str, Any]:
    return _out(request, _get(request, pk))


@router.put("/capas/{pk}", response=dict, auth=AUTH)
def capa_edit(request: AuthenticatedHttpRequest, pk: int, body: EditIn):
    plan.edit_capa(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.put("/capas/{pk}/analysis", response=dict, auth=AUTH)
def capa_analysis(request: AuthenticatedHttpRequest, pk: int, body: AnalysisIn):
    plan.record_analysis(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.post("/capas/{pk}/references", response=dict, auth=AUTH)
def capa_reference(request: AuthenticatedHttpRequest, pk: int, body: ReferenceIn):
    actions.add_reference(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.post("/capas/{pk}/actions", response=dict, auth=AUTH)
def capa_action_add(request: AuthenticatedHttpRequest, pk: int, body: ActionIn):
    plan.add_action(
        actor=request.user,
        capa=_get(request, pk),
        description=body.description,
        owner=_person(body.owner, "owner"),
        due=body.due,
    )
    return _then(request, pk)


@router.post("/capas/{pk}/actions/{action}/done", response=dict, auth=AUTH)
def capa_action_done(request: AuthenticatedHttpRequest, pk: int, action: int, body: DoneIn):
    capa = _get(request, pk)
    task = capa.actions.filter(pk=action).first()
    if task is None:
        raise NotFound()
    plan.complete_action(actor=request.user, action=task, evidence=body.evidence)
    return _then(request, pk)


@router.put("/capas/{pk}/verification", response=dict, auth=AUTH)
def capa_verify(request: AuthenticatedHttpRequest, pk: int, body: VerificationIn):
    plan.record_verification(actor=request.user, capa=_get(request, pk), checked=body.checked)
    return _then(request, pk)


@router.put("/capas/{pk}/check-plan", response=dict, auth=AUTH)
def capa_check_plan(request: AuthenticatedHttpRequest, pk: int, body: CheckPlanIn):
    plan.plan_effectiveness(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.put("/capas/{pk}/impact", response=dict, auth=AUTH)
def capa_impact(request: AuthenticatedHttpRequest, pk: int, body: ImpactIn):
    plan.assess_regulatory_impact(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.post("/capas/{pk}/notices", response=dict, auth=AUTH)
def capa_notice(request: AuthenticatedHttpRequest, pk: int, body: NoticeIn):
    plan.record_notice(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.post("/capas/{pk}/revisions", response=dict, auth=AUTH)
def capa_revision(request: AuthenticatedHttpRequest, pk: int, body: RevisionIn):
    actions.link_revision(actor=request.user, capa=_get(request, pk), **body.dict())
    return _then(request, pk)


@router.post("/capas/{pk}/steps/{step}", response=dict, auth=AUTH)
def capa_step(request: AuthenticatedHttpRequest, pk: int, step: str, body: StepIn):
    actions.take_step(actor=request.user, capa=_get(request, pk), step=step, reason=body.reason)
    return _then(request, pk)


@router.post("/capas/{pk}/close", response=dict, auth=AUTH)
def capa_close(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    actions.take_step(
        actor=request.user,
        capa=_get(request, pk),
        step="close",
        credentials=body.credentials(),
        reason=body.reason,
    )
    return _then(request, pk)


@router.post("/capas/{pk}/effectiveness", response=dict, auth=AUTH)
def capa_effectiveness(request: AuthenticatedHttpRequest, pk: int, body: EffectivenessIn):
    actions.record_effectiveness(
        actor=request.user,
        capa=_get(request, pk),
        result=body.result,
        evidence=body.evidence,
        comment=body.reason,
        credentials=body.credentials(),
    )
    return _then(request, pk)
