"""The process register and map over the API: the same actions as the pages, so a change
is audited the same way whichever door it came through."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Schema, Status

from openqms.core import api as core_api
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.documents import access as documents_access
from openqms.qms import access, map
from openqms.qms.actions import processes as actions
from openqms.qms.api import router
from openqms.qms.models import Process, ProcessKPI, ProcessRisk
from openqms.qms.registry import PROCESSES

# An account with no rights meets the same 404 before its input is read (core's pair).
AUTH = core_api.MEMBERS
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, Field("", max_length=5000, pattern=NO_NUL)]
TAGS = ["processes"]


class KPIIO(Schema):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    target: str = Field("", max_length=200, pattern=NO_NUL)
    method: str = Field("", max_length=300, pattern=NO_NUL, description="How it is measured")
    frequency: str = Field("", max_length=100, pattern=NO_NUL, description="How often")


class ProcessIn(Schema):
    code: str = Field(min_length=1, max_length=30, pattern=NO_NUL)
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    owner: str = Field(min_length=1, max_length=150, description="The owner's username")
    purpose: str = Field(min_length=1, max_length=5000, pattern=NO_NUL)
    inputs: Text = ""
    outputs: Text = ""
    feeds: list[str] = Field([], max_length=500, description="Codes of the processes it feeds")
    risk: ProcessRisk = ProcessRisk.MEDIUM
    risk_rationale: Text = ""
    monitoring: Text = ""
    outsourced: bool = False
    documents: list[str] = Field([], max_length=1000, description="Numbers of documents")
    kpis: list[KPIIO] = Field([], max_length=100)


class ProcessEditIn(ProcessIn):
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, pattern=NO_NUL)


class ProcessOut(Schema):
    id: int
    code: str
    name: str
    owner: str
    owner_name: str
    purpose: str
    inputs: str
    outputs: str
    feeds: list[str]
    fed_by: list[str]
    risk: str
    risk_rationale: str
    monitoring: str
    outsourced: bool
    documents: list[str]
    kpis: list[KPIIO]
    created_at: dt.datetime
    retired_at: dt.datetime | None
    retire_reason: str


class ProcessPage(Schema):
    count: int
    items: list[ProcessOut]


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=2**31 - 1)
    retired: bool = Field(False, description="Include retired processes")


def _prefetched(processes):
    return processes.prefetch_related(
        "feeds",
        "fed_by",
        "documents",
        Prefetch("kpis", queryset=ProcessKPI.objects.filter(retired_at__isnull=True)),
    )


def _out(p: Process) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "owner": p.owner.username,
        "owner_name": p.owner.full_name,
        "purpose": p.purpose,
        "inputs": p.inputs,
        "outputs": p.outputs,
        "feeds": sorted(f.code for f in p.feeds.all()),
        "fed_by": sorted(f.code for f in p.fed_by.all()),
        "risk": p.risk,
        "risk_rationale": p.risk_rationale,
        "monitoring": p.monitoring,
        "outsourced": p.outsourced,
        "documents": sorted(d.number for d in p.documents.all()),
        "kpis": [
            KPIIO(name=k.name, target=k.target, method=k.method, frequency=k.frequency)
            for k in p.kpis.all()
        ],
        "created_at": p.created_at,
        "retired_at": p.retired_at,
        "retire_reason": p.retire_reason,
    }


def _one(request: AuthenticatedHttpRequest, pk: int) -> dict:
    process = access.get_process_for_user(request.user, pk)
    return _out(_prefetched(Process.objects.select_related("owner")).get(pk=process.pk))


def _arguments(request: AuthenticatedHttpRequest, body: ProcessIn) -> dict:
    """The body as the action's arguments: names looked up, unknown ones refused (422)."""
    owner = User.objects.filter(username=body.owner).first()
    if owner is None:
        raise InvalidInput(f"There is no user {body.owner}.", fields={"owner": "Unknown."})
    feeds = list(Process.objects.filter(code__in=body.feeds))
    missing = set(body.feeds) - {p.code for p in feeds}
    if missing:
        raise InvalidInput(
            f"No process {', '.join(sorted(missing))}.", fields={"feeds": "Unknown."}
        )
    visible = documents_access.visible_documents(request.user)
    documents = list(visible.filter(number__in=body.documents))
    missing = set(body.documents) - {d.number for d in documents}
    if missing:
        raise InvalidInput(
            f"No document {', '.join(sorted(missing))}.", fields={"documents": "Unknown."}
        )
    kpis = actions.parse_kpis(
        "\n".join(" | ".join([k.name, k.target, k.method, k.frequency]) for k in body.kpis)
    )
    return {
        "code": body.code,
        "name": body.name,
        "owner": owner,
        "purpose": body.purpose,
        "inputs": body.inputs,
        "outputs": body.outputs,
        "risk": body.risk,
        "risk_rationale": body.risk_rationale,
        "monitoring": body.monitoring,
        "outsourced": body.outsourced,
        "feeds": feeds,
        "documents": documents,
        "kpis": kpis,
    }


@router.get("/processes", auth=AUTH, response=ProcessPage, tags=TAGS)
def process_list(request: AuthenticatedHttpRequest, q: Query[ListQuery]):
    """The process register, by code, a page at a time."""
    processes = access.visible_processes(request.user)
    if not q.retired:
        processes = processes.filter(retired_at__isnull=True)
    page = _prefetched(processes.order_by("code"))[q.offset : q.offset + q.limit]
    return {"count": processes.count(), "items": [_out(p) for p in page]}


@router.post("/processes", auth=AUTH, response={201: ProcessOut}, tags=TAGS)
def process_create(request: AuthenticatedHttpRequest, body: ProcessIn):
    access.require_or_404(request.user, PROCESSES)
    process = actions.create_process(actor=request.user, **_arguments(request, body))
    return Status(201, _one(request, process.pk))


@router.get(
    "/processes/map.svg",
    auth=AUTH,
    tags=TAGS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The process map",
                "content": {"image/svg+xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def process_map(request: AuthenticatedHttpRequest):
    """The process map drawn from the register, as an SVG file."""
    access.require_reader(request.user)
    nodes, edges = map.processes_for_map()
    return HttpResponse(map.render_svg(nodes, edges, standalone=True), content_type="image/svg+xml")


@router.get("/processes/{process_id}", auth=AUTH, response=ProcessOut, tags=TAGS)
def process_read(request: AuthenticatedHttpRequest, process_id: int):
    return _one(request, process_id)


@router.put("/processes/{process_id}", auth=AUTH, response=ProcessOut, tags=TAGS)
def process_edit(request: AuthenticatedHttpRequest, process_id: int, body: ProcessEditIn):
    """Replace the process's fields and lists (every change audited old → new)."""
    process = access.get_process_for_user(request.user, process_id, need=PROCESSES)
    actions.edit_process(
        actor=request.user, process=process, reason=body.reason, **_arguments(request, body)
    )
    return _one(request, process.pk)


@router.post("/processes/{process_id}/retire", auth=AUTH, response=ProcessOut, tags=TAGS)
def process_retire(request: AuthenticatedHttpRequest, process_id: int, body: ReasonIn):
    process = access.get_process_for_user(request.user, process_id, need=PROCESSES)
    actions.retire_process(actor=request.user, process=process, reason=body.reason)
    return _one(request, process.pk)
