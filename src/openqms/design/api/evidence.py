"""Evidence from CI over the API: POST a JUnit XML file into an open baseline (multipart
field `file`, or the XML as the raw body with Content-Type application/xml), and read the
runs and their results. The same action as the command (design.actions.evidence)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.api import MEMBERS
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access
from openqms.design.actions.evidence import ingest_junit
from openqms.design.api import router
from openqms.design.junit import MAX_BYTES
from openqms.design.models import Baseline, DesignProject, TestResult, TestRun

TAG = ["design: evidence"]


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=500)


class UnknownOut(Schema):
    case: str
    id: str


class RunOut(Schema):
    id: int
    project_id: int
    baseline_id: int
    baseline: str
    file_name: str
    sha256: str
    commit: str
    build: str
    ingested_at: dt.datetime
    ingested_by: str
    cases: int
    linked: int
    passed: int
    failed: int
    skipped: int
    unlinked: int
    unknown: list[UnknownOut]


class RunPage(Schema):
    count: int
    items: list[RunOut]


class ResultOut(Schema):
    id: int
    case: str
    outcome: str
    duration: float | None
    message: str
    item_id: int | None
    item_uid: str | None
    item_version: int | None
    stale: bool


class RunDetail(RunOut):
    results_count: int
    results: list[ResultOut]


def _run_out(run: TestRun) -> dict[str, Any]:
    s = run.summary
    return {
        "id": run.pk,
        "project_id": run.project_id,
        "baseline_id": run.baseline_id,
        "baseline": run.baseline.name,
        "file_name": run.file_name,
        "sha256": run.sha256,
        "commit": run.commit,
        "build": run.build,
        "ingested_at": run.ingested_at,
        "ingested_by": run.ingested_by.username,
        "cases": run.cases,
        "linked": run.linked,
        **{k: s.get(k, 0) for k in ("passed", "failed", "skipped", "unlinked")},
        "unknown": [{"case": c, "id": i} for c, i in s.get("unknown", [])],
    }


def _result_out(r: TestResult) -> dict[str, Any]:
    return {
        "id": r.pk,
        "case": r.case,
        "outcome": r.outcome,
        "duration": r.duration,
        "message": r.message,
        "item_id": r.item_id,
        "item_uid": r.item.uid if r.item else None,
        "item_version": r.item_version,
        "stale": bool(r.item and (r.item_version or 0) < r.item.version),
    }


def _runs() -> Any:
    return TestRun.objects.select_related("baseline", "ingested_by")


def _field(request: AuthenticatedHttpRequest, name: str) -> str:
    return str(request.POST.get(name) or request.GET.get(name) or "")


@router.post(
    "/projects/{pk}/evidence/junit",
    response={201: RunOut},
    auth=MEMBERS,
    tags=TAG,
    openapi_extra={
        "parameters": [
            {"name": n, "in": "query", "required": n == "baseline", "schema": {"type": "string"}}
            for n in ("baseline", "commit", "build")
        ],
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
                "application/xml": {"schema": {"type": "string"}},
            }
        },
    },
)
def junit_ingest(request: AuthenticatedHttpRequest, pk: int):
    """Ingest a JUnit XML file into the project's open baseline named `baseline` (query
    or form field), with the `commit` and `build` it came from."""
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("Send the JUnit XML as the multipart field “file”.")
        if upload.size and upload.size > MAX_BYTES:
            raise InvalidInput(f"JUnit files up to {MAX_BYTES // 2**20} MB are read.")
        data, name = upload.read(), upload.name or "junit.xml"
    else:
        data, name = request.body, _field(request, "file_name") or "junit.xml"
    baseline_name = _field(request, "baseline")
    if not baseline_name:
        raise InvalidInput(
            "Name the open baseline the results go into (baseline=…).",
            fields={"baseline": "Required."},
        )
    baseline = Baseline.objects.filter(project=project, name=baseline_name).first()
    if baseline is None:
        raise InvalidInput(
            f"{project.name} has no baseline “{baseline_name[:100]}”.",
            fields={"baseline": "Unknown."},
        )
    run = ingest_junit(
        actor=request.user,
        baseline=baseline,
        data=data,
        file_name=name,
        commit=_field(request, "commit"),
        build=_field(request, "build"),
    )
    return Status(201, _run_out(_runs().get(pk=run.pk)))


@router.get("/projects/{pk}/evidence/runs", response=RunPage, auth=MEMBERS, tags=TAG)
def run_list(request: AuthenticatedHttpRequest, pk: int, page: Query[Page]):
    """The project's test runs, newest first."""
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    runs = _runs().filter(project=project).order_by("-ingested_at", "-pk")
    rows = list(runs[page.offset : page.offset + page.limit])
    return {"count": runs.count(), "items": [_run_out(r) for r in rows]}


@router.get("/evidence/runs/{pk}", response=RunDetail, auth=MEMBERS, tags=TAG)
def run_detail(request: AuthenticatedHttpRequest, pk: int, page: Query[Page]):
    """One run and a page of its results (each with its item and whether it is stale)."""
    run = access.get_for_user(request.user, _runs(), pk)
    results = run.results.select_related("item").order_by("pk")
    rows = list(results[page.offset : page.offset + page.limit])
    return {
        **_run_out(run),
        "results_count": results.count(),
        "results": [_result_out(r) for r in rows],
    }
