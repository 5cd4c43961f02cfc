"""IEC 62304 endpoints (/api/v1/design/software-systems…, /soup…, /sboms…, /problems…):
the same actions as the pages; records through design.access (404 for missing and
forbidden); the SOUP review signed with the password and the content hash from GET. An
SBOM is POSTed as the CycloneDX JSON file itself (the request body)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.api import MEMBERS, SignatureIn, signatures_out
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.design import access
from openqms.design.actions import software as actions
from openqms.design.api import router
from openqms.design.models import (
    Baseline,
    ProblemReport,
    SbomImport,
    SoftwareItem,
    SoftwareSystem,
    SoupItem,
    SoupState,
    TestRun,
)
from openqms.design.models.software import checklist
from openqms.design.registry import EDIT
from openqms.design.sbom import SIZE_LIMIT, ingest_sbom
from openqms.devices.models import Device
from openqms.documents.access import visible_documents

AUTH = MEMBERS
MAX_ID = 2**31 - 1


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class SoupQuery(PageQuery):
    state: str = Field("", description="needs_review, reviewed or removed")


class SystemIn(Schema):
    device: int = Field(ge=1, le=MAX_ID)
    name: str = Field(max_length=100)
    version: str = Field("", max_length=50)
    safety_class: str = Field(description="A, B or C")
    justification: str = Field(max_length=10_000)


class SystemOut(Schema):
    id: int
    device_id: int
    device: str
    name: str
    version: str
    safety_class: str
    justification: str


class DeliverableOut(Schema):
    code: str
    clause: str
    name: str
    state: str = Field(description="missing or evidence given")
    evidence: str


class SystemDetail(SystemOut):
    checklist: list[DeliverableOut]


class SystemPage(Schema):
    items: list[SystemOut]
    next_offset: int | None


class SoupOut(Schema):
    id: int
    name: str
    version: str
    supplier: str
    licence: str
    purl: str
    requirements: str
    state: str
    reviewed_version: str
    anomalies: str
    conclusion: str
    reviewed_on: dt.date | None


class SoupDetail(SoupOut):
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    risks: list[str]
    signatures: list[dict[str, Any]]


class SoupPage(Schema):
    items: list[SoupOut]
    next_offset: int | None


class ReviewIn(SignatureIn):
    anomalies: str = Field(max_length=10_000)
    conclusion: str = Field(max_length=10_000)
    reviewed_on: dt.date | None = None


class SbomOut(Schema):
    id: int
    file_name: str
    sha256: str
    spec_version: str
    components: int
    summary: dict[str, Any]
    imported_at: dt.datetime
    imported_by: str


class SbomPage(Schema):
    items: list[SbomOut]
    next_offset: int | None


class EvidenceIn(Schema):
    code: str = Field(description="A deliverable's code, e.g. development_plan")
    document: str = Field("", max_length=30, description="A controlled document's number")
    baseline: int | None = Field(None, ge=1, le=MAX_ID)
    test_run: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=5_000)


class SoftwareItemIn(Schema):
    name: str = Field(max_length=100)
    safety_class: str = Field(description="A, B or C; at most the system's")
    parent: int | None = Field(None, ge=1, le=MAX_ID)
    is_unit: bool = False
    description: str = Field("", max_length=10_000)


class SoftwareItemOut(Schema):
    id: int
    parent_id: int | None
    name: str
    is_unit: bool
    safety_class: str
    description: str


class ProblemIn(Schema):
    title: str = Field(max_length=200)
    description: str = Field(max_length=10_000)
    software_item: int | None = Field(None, ge=1, le=MAX_ID)


class ProblemStepIn(Schema):
    investigation: str = Field("", max_length=10_000)
    change_needed: bool | None = None
    verification: str = Field("", max_length=10_000)
    comment: str = Field("", max_length=500)


class LinkIn(Schema):
    number: str = Field(max_length=30, description="A CAPA's or nonconformity's number")
    note: str = Field("", max_length=300)


class ProblemOut(Schema):
    id: int
    number: str
    system_id: int
    software_item_id: int | None
    title: str
    description: str
    state: str
    investigation: str
    change_needed: bool | None
    verification: str
    created_at: dt.datetime


def _page(rows: Any, q: PageQuery, out: Any) -> dict[str, Any]:
    found = list(rows[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {
        "items": [out(r) for r in found[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


def _systems() -> Any:
    return SoftwareSystem.objects.select_related("device")


def _system_row(s: SoftwareSystem) -> dict[str, Any]:
    fields = {f: getattr(s, f) for f in SystemOut.model_fields if f != "device"}
    return fields | {"device": s.device.name}


def _system_detail(s: SoftwareSystem) -> dict[str, Any]:
    rows = []
    for row in checklist(s):
        e = row.evidence
        said = [str(x) for x in (e.document, e.baseline, e.test_run) if x] if e else []
        d = row.deliverable
        rows.append(
            {
                "code": d.code,
                "clause": d.clause,
                "name": d.name,
                "state": row.state,
                "evidence": "; ".join([*said, e.note] if e and e.note else said),
            }
        )
    return _system_row(s) | {"checklist": rows}


def _get_system(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Any:
    return access.get_for_user(request.user, _systems(), pk, permission=permission)


@router.get("/software-systems", response=SystemPage, auth=AUTH)
def system_list(request: AuthenticatedHttpRequest, q: Query[PageQuery]):
    found = access.visible(request.user, _systems()).order_by("device__name", "name", "pk")
    return _page(found, q, _system_row)


@router.post("/software-systems", response={201: SystemDetail}, auth=AUTH)
def system_create(request: AuthenticatedHttpRequest, body: SystemIn):
    access.need(request.user, None)
    device = Device.objects.filter(pk=body.device).first()
    if device is None:
        raise InvalidInput(f"There is no device {body.device}.", fields={"device": "?"})
    made = actions.create_system(actor=request.user, **(body.dict() | {"device": device}))
    return Status(201, _system_detail(_get_system(request, made.pk)))


@router.get("/software-systems/{pk}", response=SystemDetail, auth=AUTH)
def system_read(request: AuthenticatedHttpRequest, pk: int):
    return _system_detail(_get_system(request, pk))


def _found(queryset: Any, pk: int | None, what: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(f"There is no {what} {pk}.", fields={what: "Not found."})
    return found


@router.post("/software-systems/{pk}/evidence", response=SystemDetail, auth=AUTH)
def evidence_post(request: AuthenticatedHttpRequest, pk: int, body: EvidenceIn):
    system = _get_system(request, pk, permission=EDIT)
    document = None
    if body.document.strip():
        document = visible_documents(request.user).filter(number=body.document.strip()).first()
        if document is None:
            raise InvalidInput(f"There is no document {body.document} you can open.")
    actions.record_evidence(
        actor=request.user,
        system=system,
        code=body.code,
        document=document,
        baseline=_found(Baseline.objects.all(), body.baseline, "baseline"),
        test_run=_found(TestRun.objects.all(), body.test_run, "test run"),
        note=body.note,
    )
    return _system_detail(_get_system(request, pk))


@router.get("/software-systems/{pk}/items", response=list[SoftwareItemOut], auth=AUTH)
def item_list(request: AuthenticatedHttpRequest, pk: int):
    system = _get_system(request, pk)
    found = SoftwareItem.objects.filter(system=system).order_by("name")
    return [{f: getattr(i, f) for f in SoftwareItemOut.model_fields} for i in found]


@router.post("/software-systems/{pk}/items", response={201: SoftwareItemOut}, auth=AUTH)
def item_create(request: AuthenticatedHttpRequest, pk: int, body: SoftwareItemIn):
    system = _get_system(request, pk, permission=EDIT)
    parent = _found(SoftwareItem.objects.filter(system=system), body.parent, "parent")
    made = actions.create_software_item(
        actor=request.user,
        system=system,
        name=body.name,
        safety_class=body.safety_class,
        parent=parent,
        is_unit=body.is_unit,
        description=body.description,
    )
    return Status(201, {f: getattr(made, f) for f in SoftwareItemOut.model_fields})


def _soup_row(s: SoupItem) -> dict[str, Any]:
    return {f: getattr(s, f) for f in SoupOut.model_fields}


@router.get("/software-systems/{pk}/soup", response=SoupPage, auth=AUTH)
def soup_list(request: AuthenticatedHttpRequest, pk: int, q: Query[SoupQuery]):
    system = _get_system(request, pk)
    found = SoupItem.objects.filter(system=system)
    if q.state in SoupState.values:
        found = found.filter(state=q.state)
    return _page(found.order_by("name", "pk"), q, _soup_row)


def _sbom_row(s: SbomImport) -> dict[str, Any]:
    fields = {f: getattr(s, f) for f in SbomOut.model_fields if f != "imported_by"}
    return fields | {"imported_by": s.imported_by.full_name}


@router.get("/software-systems/{pk}/sboms", response=SbomPage, auth=AUTH)
def sbom_list(request: AuthenticatedHttpRequest, pk: int, q: Query[PageQuery]):
    system = _get_system(request, pk)
    found = SbomImport.objects.filter(system=system).select_related("imported_by")
    return _page(found, q, _sbom_row)


@router.post("/software-systems/{pk}/sbom", response={201: SbomOut}, auth=AUTH)
def sbom_post(request: AuthenticatedHttpRequest, pk: int, file_name: str = "sbom.json"):
    """The body is the CycloneDX SBOM itself (JSON, or XML 1.4–1.6); `file_name` names
    it in the trail."""
    system = _get_system(request, pk, permission=EDIT)
    if len(request.body) > SIZE_LIMIT:
        raise InvalidInput(f"The SBOM is larger than {SIZE_LIMIT // 1024 // 1024} MB.")
    found = ingest_sbom(
        actor=request.user, system=system, data=request.body, file_name=file_name[:255]
    )
    return Status(201, _sbom_row(SbomImport.objects.select_related("imported_by").get(pk=found.pk)))


@router.get("/sboms/{pk}", response=SbomOut, auth=AUTH)
def sbom_read(request: AuthenticatedHttpRequest, pk: int):
    queryset = SbomImport.objects.select_related("imported_by")
    return _sbom_row(access.get_for_user(request.user, queryset, pk))


def _soup_detail(soup: SoupItem) -> dict[str, Any]:
    return _soup_row(soup) | {
        "content_sha256": content_hash(soup.signature_content()),
        "risks": [r.uid for r in soup.risks.order_by("uid")],
        "signatures": signatures_out(soup),
    }


def _get_soup(request: AuthenticatedHttpRequest, pk: int) -> SoupItem:
    return access.get_for_user(request.user, SoupItem.objects.all(), pk)


@router.get("/soup/{pk}", response=SoupDetail, auth=AUTH)
def soup_read(request: AuthenticatedHttpRequest, pk: int):
    return _soup_detail(_get_soup(request, pk))


@router.post("/soup/{pk}/review", response=SoupDetail, auth=AUTH)
def soup_review(request: AuthenticatedHttpRequest, pk: int, body: ReviewIn):
    actions.review_soup(
        actor=request.user,
        soup=_get_soup(request, pk),
        anomalies=body.anomalies,
        conclusion=body.conclusion,
        reviewed_on=body.reviewed_on,
        credentials=body.credentials(),
    )
    return _soup_detail(_get_soup(request, pk))


def _get_problem(request: AuthenticatedHttpRequest, pk: int) -> ProblemReport:
    return access.get_for_user(request.user, ProblemReport.objects.all(), pk)


def _problem_row(p: ProblemReport) -> dict[str, Any]:
    return {f: getattr(p, f) for f in ProblemOut.model_fields}


@router.post("/software-systems/{pk}/problems", response={201: ProblemOut}, auth=AUTH)
def problem_create(request: AuthenticatedHttpRequest, pk: int, body: ProblemIn):
    system = _get_system(request, pk)
    item = None
    if body.software_item is not None:
        item = SoftwareItem.objects.filter(system=system, pk=body.software_item).first()
        if item is None:
            raise InvalidInput("There is no such software item in this system.")
    made = actions.report_problem(
        actor=request.user,
        system=system,
        title=body.title,
        description=body.description,
        software_item=item,
    )
    return Status(201, _problem_row(made))


@router.get("/problems/{pk}", response=ProblemOut, auth=AUTH)
def problem_read(request: AuthenticatedHttpRequest, pk: int):
    return _problem_row(_get_problem(request, pk))


@router.post("/problems/{pk}/links", response={201: ProblemOut}, auth=AUTH)
def problem_link(request: AuthenticatedHttpRequest, pk: int, body: LinkIn):
    report = _get_problem(request, pk)
    actions.link_problem(actor=request.user, report=report, number=body.number, note=body.note)
    return Status(201, _problem_row(report))


@router.post("/problems/{pk}/{step}", response=ProblemOut, auth=AUTH)
def problem_step(request: AuthenticatedHttpRequest, pk: int, step: str, body: ProblemStepIn):
    report = _get_problem(request, pk)
    if step == "investigate":
        actions.investigate_problem(
            actor=request.user,
            report=report,
            investigation=body.investigation,
            change_needed=body.change_needed,
        )
    elif step == "resolve":
        actions.resolve_problem(actor=request.user, report=report, verification=body.verification)
    elif step == "close":
        actions.close_problem(actor=request.user, report=report, comment=body.comment)
    else:
        raise InvalidInput("The steps are investigate, resolve and close.")
    return _problem_row(_get_problem(request, pk))
