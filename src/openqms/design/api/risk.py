"""Risk management's endpoints (/api/v1/design/risk-…): risk files with their matrix,
hazards, hazardous situations (the FMEA rows), controls, the signed report and risk
reviews. The same actions as the pages; 404 for missing and forbidden alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from ninja import Field, Query, Schema, Status

from openqms.core.api import MEMBERS, SignatureIn
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.design import access, risk_matrix
from openqms.design.actions import risk
from openqms.design.api import router
from openqms.design.models import (
    ControlMeasure,
    Hazard,
    HazardousSituation,
    RiskFile,
    RiskReview,
)
from openqms.devices.models import Device

TAG = ["design: risk"]
AUTH = MEMBERS
MAX_ID = 2**31 - 1


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class LevelOut(Schema):
    rank: int
    name: str
    description: str


class CellOut(Schema):
    severity: int
    probability: int
    region: str


class FileOut(Schema):
    id: int
    device_id: int
    device: str
    plan: str | None
    overall_residual_risk: str
    state: str
    revision: int
    report_conclusion: str
    report_residual_acceptable: bool | None
    report_plan_followed: bool | None
    report_signed_at: dt.datetime | None
    ready_to_sign: bool
    not_ready_because: str
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    report_facts: dict[str, Any] = Field(
        description="What the report's signer signs over (as signed, once it is)"
    )
    severities: list[LevelOut]
    probabilities: list[LevelOut]
    matrix: list[CellOut]


class FileBrief(Schema):
    id: int
    device_id: int
    device: str
    state: str


class FilePage(Schema):
    count: int
    items: list[FileBrief]


class FileIn(Schema):
    device_id: int = Field(ge=1, le=MAX_ID)
    plan: str = Field("", max_length=60, description="A controlled document's number")


class FileEditIn(Schema):
    plan: str = Field("", max_length=60)
    overall_residual_risk: str = Field("", max_length=10_000)


class CellIn(Schema):
    severity: int = Field(ge=0, le=100)
    probability: int = Field(ge=0, le=100)
    region: str = Field(max_length=20)


class LevelIn(Schema):
    scale: str = Field(max_length=20)
    rank: int = Field(ge=0, le=100)
    name: str = Field(max_length=60)
    description: str = Field("", max_length=300)


class HazardIn(Schema):
    title: str = Field(max_length=200)
    category: str = Field("", max_length=100)


class ControlOut(Schema):
    id: int
    kind: str
    description: str
    item_uid: str | None
    retired_at: dt.datetime | None
    retire_reason: str


class SituationOut(Schema):
    id: int
    code: str
    hazard: str
    sequence: str
    situation: str
    harm: str
    severity: int
    p1: int | None
    p2: int | None
    probability: int
    region: str
    residual_severity: int | None
    residual_p1: int | None
    residual_p2: int | None
    residual_probability: int | None
    residual_region: str
    benefit_risk: str
    evaluated_at: dt.datetime | None
    item_uid: str | None
    retired_at: dt.datetime | None
    retire_reason: str
    controls: list[ControlOut]


class HazardOut(Schema):
    id: int
    code: str
    title: str
    category: str
    retired_at: dt.datetime | None
    retire_reason: str


class RetireIn(Schema):
    reason: str = Field(max_length=500)
    change: int | None = Field(
        None,
        description="The id of the approved design change naming the row's design items: "
        "required once the project's current baseline is signed (ISO 13485 7.3.9)",
    )


class HazardEditIn(HazardIn):
    reason: str = Field(max_length=500, description="Why the hazard changes")


CHANGE_HELP = (
    "The id of an open design change of the project this edit is part of: required once "
    "the project's current baseline is signed (ISO 13485 7.3.9)"
)


class HazardPage(Schema):
    count: int
    items: list[HazardOut]


class SituationPage(Schema):
    count: int
    items: list[SituationOut]


class EstimateIn(Schema):
    severity: int = Field(ge=0, le=100)
    probability: int | None = Field(None, ge=0, le=100)
    p1: int | None = Field(None, ge=0, le=100)
    p2: int | None = Field(None, ge=0, le=100)


class SituationIn(EstimateIn):
    sequence: str = Field(max_length=10_000)
    situation: str = Field(max_length=10_000)
    harm: str = Field(max_length=300)
    change: int | None = Field(None, description=CHANGE_HELP)


class SituationEditIn(EstimateIn):
    sequence: str = Field(max_length=10_000)
    statement: str = Field(max_length=10_000, description="The hazardous situation")
    harm: str = Field(max_length=300)
    reason: str = Field(max_length=500, description="Why the situation changes")
    change: int | None = Field(None, description=CHANGE_HELP)


class EvaluateIn(Schema):
    benefit_risk: str = Field("", max_length=10_000)


class ControlIn(Schema):
    kind: str = Field(max_length=20)
    description: str = Field(max_length=10_000)
    change: int | None = Field(None, description=CHANGE_HELP)


class ControlEditIn(ControlIn):
    reason: str = Field(max_length=500, description="Why the control changes")


class ReportIn(SignatureIn):
    conclusion: str = Field(max_length=10_000)
    residual_acceptable: bool
    plan_followed: bool


class ReviewOut(Schema):
    id: int
    file_id: int
    source_type: str
    source_id: str
    source_label: str
    opened_at: dt.datetime
    outcome: str
    note: str
    closed_at: dt.datetime | None
    hazards: list[str]


class ReviewPage(Schema):
    count: int
    items: list[ReviewOut]


class CloseIn(Schema):
    outcome: str = Field(max_length=20)
    hazard_ids: list[int] = Field(default_factory=list, max_length=500)
    note: str = Field("", max_length=10_000)


def _file(request: AuthenticatedHttpRequest, pk: int) -> RiskFile:
    return access.get_for_user(request.user, RiskFile.objects.select_related("device", "plan"), pk)


def _file_out(file: RiskFile) -> dict[str, Any]:
    refusal = risk.report_refusal(file)
    content = file.signature_content()
    levels = ("rank", "name", "description")
    return {
        "id": file.pk,
        "device_id": file.device_id,
        "device": str(file.device),
        "plan": file.plan.number if file.plan else None,
        "overall_residual_risk": file.overall_residual_risk,
        "state": file.state,
        "revision": file.revision,
        "report_conclusion": file.report_conclusion,
        "report_residual_acceptable": file.report_residual_acceptable,
        "report_plan_followed": file.report_plan_followed,
        "report_signed_at": file.report_signed_at,
        "ready_to_sign": refusal is None,
        "not_ready_because": refusal or "",
        "content_sha256": content_hash(content),
        "report_facts": content["facts"],
        "severities": list(file.severities.order_by("rank").values(*levels)),
        "probabilities": list(file.probabilities.order_by("rank").values(*levels)),
        "matrix": [
            {"severity": s, "probability": p, "region": r}
            for (s, p), r in sorted(risk_matrix.regions(file).items())
        ],
    }


def _situation_out(s: HazardousSituation) -> dict[str, Any]:
    fields = [f.name for f in HazardousSituation._meta.concrete_fields if not f.is_relation]
    out = {name: getattr(s, name) for name in fields}
    return out | {
        "code": s.code,
        "hazard": s.hazard.code,
        "item_uid": s.item.uid if s.item else None,
        "controls": [
            {
                "id": c.pk,
                "kind": c.kind,
                "description": c.description,
                "item_uid": c.item.uid if c.item else None,
                "retired_at": c.retired_at,
                "retire_reason": c.retire_reason,
            }
            for c in s.controls.all()
        ],
    }


def _situations() -> Any:
    controls = Prefetch("controls", queryset=ControlMeasure.objects.select_related("item"))
    found = HazardousSituation.objects.select_related("hazard", "item")
    return found.prefetch_related(controls)


def _review_out(r: RiskReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "file_id": r.file_id,
        "source_type": r.source_type,
        "source_id": r.source_id,
        "source_label": r.source_label,
        "opened_at": r.opened_at,
        "outcome": r.outcome,
        "note": r.note,
        "closed_at": r.closed_at,
        "hazards": [h.code for h in r.hazards.all()],
    }


@router.get("/risk-files", response=FilePage, tags=TAG, auth=AUTH)
def file_list(request: AuthenticatedHttpRequest, page: Query[Page]):
    files = access.visible(request.user, RiskFile.objects.select_related("device"))
    rows = files.order_by("pk")[page.offset : page.offset + page.limit]
    items = [
        {"id": f.pk, "device_id": f.device_id, "device": str(f.device), "state": f.state}
        for f in rows
    ]
    return {"count": files.count(), "items": items}


@router.post("/risk-files", response={201: FileOut}, tags=TAG, auth=AUTH)
def file_create(request: AuthenticatedHttpRequest, body: FileIn):
    access.need(request.user, None)
    device = Device.objects.filter(pk=body.device_id).first()
    if device is None:
        raise NotFound()
    made = risk.create_risk_file(actor=request.user, device=device, plan=body.plan)
    return Status(201, _file_out(_file(request, made.pk)))


@router.get("/risk-files/{pk}", response=FileOut, tags=TAG, auth=AUTH)
def file_detail(request: AuthenticatedHttpRequest, pk: int):
    return _file_out(_file(request, pk))


@router.patch("/risk-files/{pk}", response=FileOut, tags=TAG, auth=AUTH)
def file_edit(request: AuthenticatedHttpRequest, pk: int, body: FileEditIn):
    risk.edit_risk_file(actor=request.user, file=_file(request, pk), **body.dict())
    return _file_out(_file(request, pk))


@router.put("/risk-files/{pk}/matrix", response=FileOut, tags=TAG, auth=AUTH)
def matrix_cell(request: AuthenticatedHttpRequest, pk: int, body: CellIn):
    """Change one cell; every risk of the file is re-evaluated under the new matrix."""
    risk.set_matrix_cell(actor=request.user, file=_file(request, pk), **body.dict())
    return _file_out(_file(request, pk))


@router.put("/risk-files/{pk}/levels", response=FileOut, tags=TAG, auth=AUTH)
def level(request: AuthenticatedHttpRequest, pk: int, body: LevelIn):
    risk.set_level(actor=request.user, file=_file(request, pk), **body.dict())
    return _file_out(_file(request, pk))


@router.post("/risk-files/{pk}/sign", response=FileOut, tags=TAG, auth=AUTH)
def report_sign(request: AuthenticatedHttpRequest, pk: int, body: ReportIn):
    """Sign the risk management report (meaning risk_report_signed)."""
    risk.sign_report(
        actor=request.user,
        file=_file(request, pk),
        credentials=body.credentials(),
        conclusion=body.conclusion,
        residual_acceptable=body.residual_acceptable,
        plan_followed=body.plan_followed,
    )
    return _file_out(_file(request, pk))


@router.get("/risk-files/{pk}/hazards", response=HazardPage, tags=TAG, auth=AUTH)
def hazard_list(request: AuthenticatedHttpRequest, pk: int, page: Query[Page]):
    hazards = Hazard.objects.filter(file=_file(request, pk)).order_by("number")
    rows = hazards[page.offset : page.offset + page.limit]
    return {"count": hazards.count(), "items": [_hazard_out(h) for h in rows]}


@router.post("/risk-files/{pk}/hazards", response={201: HazardOut}, tags=TAG, auth=AUTH)
def hazard_add(request: AuthenticatedHttpRequest, pk: int, body: HazardIn):
    h = risk.add_hazard(actor=request.user, file=_file(request, pk), **body.dict())
    return Status(201, _hazard_out(h))


def _hazard_out(h: Hazard) -> dict[str, Any]:
    fields = ("title", "category", "retired_at", "retire_reason")
    return {"id": h.pk, "code": h.code} | {name: getattr(h, name) for name in fields}


def _hazard(request: AuthenticatedHttpRequest, pk: int) -> Hazard:
    return access.get_for_user(request.user, Hazard.objects.all(), pk)


@router.patch("/risk-hazards/{pk}", response=HazardOut, tags=TAG, auth=AUTH)
def hazard_edit(request: AuthenticatedHttpRequest, pk: int, body: HazardEditIn):
    made = risk.edit_hazard(actor=request.user, hazard=_hazard(request, pk), **body.dict())
    return _hazard_out(made)


@router.post("/risk-hazards/{pk}/retire", response=HazardOut, tags=TAG, auth=AUTH)
def hazard_retire(request: AuthenticatedHttpRequest, pk: int, body: RetireIn):
    """Retire the hazard with its hazardous situations, their controls and design items."""
    made = risk.retire_hazard(
        actor=request.user, hazard=_hazard(request, pk), reason=body.reason, change=body.change
    )
    return _hazard_out(made)


@router.get("/risk-files/{pk}/situations", response=SituationPage, tags=TAG, auth=AUTH)
def situation_list(request: AuthenticatedHttpRequest, pk: int, page: Query[Page]):
    """The FMEA rows: every hazardous situation with its estimates and controls (retired
    situations are left out, as in the FMEA)."""
    found = _situations().filter(file=_file(request, pk), retired_at__isnull=True)
    found = found.order_by("number")
    rows = found[page.offset : page.offset + page.limit]
    return {"count": found.count(), "items": [_situation_out(s) for s in rows]}


def _situation(request: AuthenticatedHttpRequest, pk: int) -> HazardousSituation:
    return access.get_for_user(request.user, _situations(), pk)


@router.post("/risk-hazards/{pk}/situations", response={201: SituationOut}, tags=TAG, auth=AUTH)
def situation_add(request: AuthenticatedHttpRequest, pk: int, body: SituationIn):
    hazard = access.get_for_user(request.user, Hazard.objects.all(), pk)
    made = risk.add_situation(actor=request.user, hazard=hazard, **body.dict())
    return Status(201, _situation_out(_situation(request, made.pk)))


@router.post("/risk-situations/{pk}/residual", response=SituationOut, tags=TAG, auth=AUTH)
def situation_residual(request: AuthenticatedHttpRequest, pk: int, body: EstimateIn):
    risk.estimate_residual(actor=request.user, situation=_situation(request, pk), **body.dict())
    return _situation_out(_situation(request, pk))


@router.post("/risk-situations/{pk}/evaluate", response=SituationOut, tags=TAG, auth=AUTH)
def situation_evaluate(request: AuthenticatedHttpRequest, pk: int, body: EvaluateIn):
    risk.evaluate_situation(actor=request.user, situation=_situation(request, pk), **body.dict())
    return _situation_out(_situation(request, pk))


@router.post("/risk-situations/{pk}/controls", response={201: SituationOut}, tags=TAG, auth=AUTH)
def control_add(request: AuthenticatedHttpRequest, pk: int, body: ControlIn):
    risk.add_control(actor=request.user, situation=_situation(request, pk), **body.dict())
    return Status(201, _situation_out(_situation(request, pk)))


@router.patch("/risk-situations/{pk}", response=SituationOut, tags=TAG, auth=AUTH)
def situation_edit(request: AuthenticatedHttpRequest, pk: int, body: SituationEditIn):
    """Edit the situation and its estimate before controls (its evaluation is withdrawn;
    its RISK item gets a new version)."""
    risk.edit_situation(actor=request.user, situation=_situation(request, pk), **body.dict())
    return _situation_out(_situation(request, pk))


@router.post("/risk-situations/{pk}/retire", response=SituationOut, tags=TAG, auth=AUTH)
def situation_retire(request: AuthenticatedHttpRequest, pk: int, body: RetireIn):
    """Retire the situation with its controls and their design items."""
    found = _situation(request, pk)
    risk.retire_situation(
        actor=request.user, situation=found, reason=body.reason, change=body.change
    )
    return _situation_out(_situation(request, pk))


def _control(request: AuthenticatedHttpRequest, pk: int) -> ControlMeasure:
    controls = ControlMeasure.objects.select_related("situation")
    return access.get_for_user(request.user, controls, pk)


@router.patch("/risk-controls/{pk}", response=SituationOut, tags=TAG, auth=AUTH)
def control_edit(request: AuthenticatedHttpRequest, pk: int, body: ControlEditIn):
    """Edit a control (its RC item gets a new version); the situation as it is then."""
    made = risk.edit_control(actor=request.user, control=_control(request, pk), **body.dict())
    return _situation_out(_situation(request, made.situation_id))


@router.post("/risk-controls/{pk}/retire", response=SituationOut, tags=TAG, auth=AUTH)
def control_retire(request: AuthenticatedHttpRequest, pk: int, body: RetireIn):
    """Retire a control with its RC item; the situation's evaluation is withdrawn."""
    control = _control(request, pk)
    risk.retire_control(actor=request.user, control=control, reason=body.reason, change=body.change)
    return _situation_out(_situation(request, control.situation_id))


@router.get("/risk-files/{pk}/reviews", response=ReviewPage, tags=TAG, auth=AUTH)
def review_list(request: AuthenticatedHttpRequest, pk: int, page: Query[Page]):
    reviews = RiskReview.objects.filter(file=_file(request, pk)).order_by("-opened_at", "-pk")
    rows = reviews.prefetch_related("hazards")[page.offset : page.offset + page.limit]
    return {"count": reviews.count(), "items": [_review_out(r) for r in rows]}


@router.post("/risk-reviews/{pk}/close", response=ReviewOut, tags=TAG, auth=AUTH)
def review_close(request: AuthenticatedHttpRequest, pk: int, body: CloseIn):
    review = access.get_for_user(request.user, RiskReview.objects.all(), pk)
    hazards = list(Hazard.objects.filter(file_id=review.file_id, pk__in=body.hazard_ids))
    if len(hazards) != len(set(body.hazard_ids)):
        raise NotFound()
    made = risk.close_review(
        actor=request.user, review=review, outcome=body.outcome, hazards=hazards, note=body.note
    )
    return _review_out(made)
