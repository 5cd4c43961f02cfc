"""Baselines, design reviews, phases and design changes over the API (/api/v1/design/…):
the same actions as the pages; records through design.access (404 for missing and
forbidden); signatures posted as SignatureIn with the content SHA-256 read from GET."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from ninja import Field, Query, Schema, Status

from openqms.core.api import MEMBERS, SignatureIn, signatures_out
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.signatures import content_hash
from openqms.design import access, dhf, snapshots
from openqms.design.actions import baselines as baseline_actions
from openqms.design.actions import changes as change_actions
from openqms.design.actions import reviews as review_actions
from openqms.design.api import router
from openqms.design.models import (
    Baseline,
    DesignChange,
    DesignPhase,
    DesignProject,
    DesignReview,
    Item,
)

AUTH = MEMBERS


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class BaselineIn(Schema):
    name: str = Field(max_length=100)
    kind: str
    description: str = Field("", max_length=10_000)


class FindingIn(Schema):
    text: str = Field(max_length=5000)
    owner: str = Field(max_length=150, description="The owner's username")
    due: dt.date | None = None


class PhaseIn(Schema):
    name: str = Field(max_length=100)
    planned_end: dt.date | None = None


class ReviewIn(Schema):
    title: str = Field(max_length=200)
    participants: list[str] = Field(max_length=50, description="Usernames")
    independent_reviewer: str = Field(max_length=150)
    outcome: str
    items: list[str] = Field([], max_length=5000, description="Item IDs (uids)")
    baseline: int | None = Field(None, ge=1, le=2**31 - 1)
    phase: int | None = Field(None, ge=1, le=2**31 - 1)
    summary: str = Field("", max_length=20_000)
    findings: list[FindingIn] = Field([], max_length=200)


class ChangeIn(Schema):
    title: str = Field(max_length=200)
    description: str = Field(max_length=20_000)
    reason: str = Field(max_length=20_000)
    affected_items: list[str] = Field([], max_length=5000)
    risk_items: list[str] = Field([], max_length=5000)
    risk_assessment: str = Field("", max_length=20_000)
    reverify_items: list[str] = Field([], max_length=5000)
    regulatory_impact: bool = False
    regulatory_text: str = Field("", max_length=10_000)


class DoneIn(Schema):
    baseline_name: str = Field(max_length=100)
    baseline_kind: str = "other"


def _project(request: AuthenticatedHttpRequest, pk: int) -> DesignProject:
    return access.get_for_user(request.user, DesignProject.objects.all(), pk)


def _baselines(user: User) -> QuerySet[Baseline]:
    return access.visible(user, Baseline.objects.select_related("project", "created_by"))


def _baseline(request: AuthenticatedHttpRequest, pk: int) -> Baseline:
    return access.get_for_user(request.user, _baselines(request.user), pk)


def _items(project: DesignProject, uids: list[str], field: str) -> list[Item]:
    found = list(Item.objects.filter(project=project, uid__in=uids))
    missing = sorted(set(uids) - {i.uid for i in found})
    if missing:
        raise InvalidInput(
            f"No item {', '.join(missing[:10])} in {project}.", fields={field: "Unknown."}
        )
    return found


def _baseline_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": b.pk,
        "project": b.project.name,
        "name": b.name,
        "kind": b.kind,
        "state": b.state,
        "version": b.version,
        "digest": b.digest,
        "created_at": b.created_at,
        "created_by": b.created_by.username,
        "signed_at": b.signed_at,
    }


def _baseline_detail(b: Baseline) -> dict[str, Any]:
    held, live = baseline_actions.suspect_counts(b)
    return {
        **_baseline_row(b),
        "description": b.description,
        "items": list(b.items.order_by("uid").values("uid", "type_code", "version", "title")),
        "links": list(b.links.order_by("pk").values("source_uid", "kind", "target_uid", "suspect")),
        "suspect_links": {"snapshot": held, "project": live},
        "content_sha256": content_hash(b.signature_content()),
        "signatures": signatures_out(b),
    }


# --- baselines ---------------------------------------------------------------------------


@router.get("/projects/{pk}/baselines", response=dict, auth=AUTH)
def baseline_list(request: AuthenticatedHttpRequest, pk: int, q: Query[PageQuery]):
    project = _project(request, pk)
    rows = _baselines(request.user).filter(project=project).annotate(item_count=Count("items"))
    page = list(rows.order_by("-created_at", "-pk")[q.offset : q.offset + q.limit + 1])
    return {
        "items": [{**_baseline_row(b), "item_count": b.item_count} for b in page[: q.limit]],
        "next_offset": q.offset + q.limit if len(page) > q.limit else None,
    }


@router.post("/projects/{pk}/baselines", response={201: dict}, auth=AUTH)
def baseline_create(request: AuthenticatedHttpRequest, pk: int, body: BaselineIn):
    made = baseline_actions.create_baseline(
        actor=request.user, project=_project(request, pk), **body.dict()
    )
    return Status(201, _baseline_detail(_baseline(request, made.pk)))


@router.get("/baselines/{pk}", response=dict, auth=AUTH)
def baseline_read(request: AuthenticatedHttpRequest, pk: int):
    return _baseline_detail(_baseline(request, pk))


@router.post("/baselines/{pk}/refresh", response=dict, auth=AUTH)
def baseline_refresh(request: AuthenticatedHttpRequest, pk: int):
    baseline_actions.refresh_baseline(actor=request.user, baseline=_baseline(request, pk))
    return _baseline_detail(_baseline(request, pk))


@router.post("/baselines/{pk}/sign", response=dict, auth=AUTH)
def baseline_sign(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    baseline_actions.sign_baseline(
        actor=request.user,
        baseline=_baseline(request, pk),
        credentials=body.credentials(),
        comment=body.reason,
    )
    return _baseline_detail(_baseline(request, pk))


@router.get("/baselines/{pk}/compare/{other}", response=dict, auth=AUTH)
def baseline_compare(request: AuthenticatedHttpRequest, pk: int, other: int):
    a, b = _baseline(request, pk), _baseline(request, other)
    if a.project_id != b.project_id:
        raise NotFound()
    return snapshots.compare(a, b).as_dict()


@router.get("/baselines/{pk}/dhf.pdf", auth=AUTH)
def baseline_dhf_pdf(request: AuthenticatedHttpRequest, pk: int):
    body = dhf.pdf_bytes(_baseline(request, pk), request.user)
    return HttpResponse(body, content_type="application/pdf")


@router.get("/baselines/{pk}/dhf.zip", auth=AUTH)
def baseline_dhf_zip(request: AuthenticatedHttpRequest, pk: int):
    body = dhf.zip_bytes(_baseline(request, pk), request.user)
    return HttpResponse(body, content_type="application/zip")


# --- phases and design reviews -------------------------------------------------------------


def _review(request: AuthenticatedHttpRequest, pk: int) -> DesignReview:
    rows = DesignReview.objects.select_related("project", "phase", "baseline")
    return access.get_for_user(request.user, rows, pk)


def _review_detail(r: DesignReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "project": r.project.name,
        "title": r.title,
        "phase": r.phase.name if r.phase else None,
        "baseline": r.baseline.name if r.baseline else None,
        "items": sorted(r.items.values_list("uid", flat=True)),
        "outcome": r.outcome,
        "summary": r.summary,
        "state": r.state,
        "participants": [
            {"username": p.person.username, "role": p.role, "state": p.state}
            for p in r.participants.select_related("person")
        ],
        "findings": [
            {"text": f.text, "owner": f.owner.username, "due": f.due}
            for f in r.findings.select_related("owner")
        ],
        "signatures": [s for p in r.participants.all() for s in signatures_out(p)],
    }


@router.post("/projects/{pk}/phases", response={201: dict}, auth=AUTH)
def phase_create(request: AuthenticatedHttpRequest, pk: int, body: PhaseIn):
    phase = review_actions.create_phase(
        actor=request.user, project=_project(request, pk), **body.dict()
    )
    return Status(201, {"id": phase.pk, "name": phase.name, "order": phase.order})


@router.post("/phases/{pk}/close", response=dict, auth=AUTH)
def phase_close(request: AuthenticatedHttpRequest, pk: int):
    phase = access.get_for_user(request.user, DesignPhase.objects.all(), pk)
    phase = review_actions.close_phase(actor=request.user, phase=phase)
    return {"id": phase.pk, "name": phase.name, "state": phase.state}


@router.post("/projects/{pk}/reviews", response={201: dict}, auth=AUTH)
def review_create(request: AuthenticatedHttpRequest, pk: int, body: ReviewIn):
    project = _project(request, pk)
    data = body.dict()
    baseline = phase = None
    if data["baseline"] is not None:
        baseline = access.get_for_user(
            request.user, Baseline.objects.filter(project=project), data["baseline"]
        )
    if data["phase"] is not None:
        phase = access.get_for_user(
            request.user, DesignPhase.objects.filter(project=project), data["phase"]
        )
    made = review_actions.create_review(
        actor=request.user,
        project=project,
        title=data["title"],
        participants=data["participants"],
        independent_reviewer=data["independent_reviewer"],
        outcome=data["outcome"],
        items=_items(project, data["items"], "items"),
        baseline=baseline,
        phase=phase,
        summary=data["summary"],
        findings=data["findings"],
    )
    return Status(201, _review_detail(_review(request, made.pk)))


@router.get("/reviews/{pk}", response=dict, auth=AUTH)
def review_read(request: AuthenticatedHttpRequest, pk: int):
    review = _review(request, pk)
    mine = review_actions.my_part(review, request.user)
    shown = {"content_sha256": content_hash(mine.signature_content())} if mine else {}
    return {**_review_detail(review), **shown}


@router.post("/reviews/{pk}/findings", response=dict, auth=AUTH)
def review_finding(request: AuthenticatedHttpRequest, pk: int, body: FindingIn):
    review_actions.add_finding(
        actor=request.user,
        review=_review(request, pk),
        text_=body.text,
        owner=body.owner,
        due=body.due,
    )
    return _review_detail(_review(request, pk))


@router.post("/reviews/{pk}/submit", response=dict, auth=AUTH)
def review_submit(request: AuthenticatedHttpRequest, pk: int):
    review_actions.submit_review(actor=request.user, review=_review(request, pk))
    return _review_detail(_review(request, pk))


@router.post("/reviews/{pk}/sign", response=dict, auth=AUTH)
def review_sign(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    review_actions.sign_review(
        actor=request.user,
        review=_review(request, pk),
        credentials=body.credentials(),
        comment=body.reason,
    )
    return _review_detail(_review(request, pk))


# --- design changes --------------------------------------------------------------------------


def _change(request: AuthenticatedHttpRequest, pk: int) -> DesignChange:
    rows = DesignChange.objects.select_related("project__device", "new_baseline")
    return access.get_for_user(request.user, rows, pk)


def _change_detail(c: DesignChange) -> dict[str, Any]:
    def uids(field: Any) -> list[str]:
        return sorted(field.values_list("uid", flat=True))

    return {
        "id": c.pk,
        "number": c.number,
        "project": c.project.name,
        "title": c.title,
        "description": c.description,
        "reason": c.reason,
        "affected_items": uids(c.affected_items),
        "risk_items": uids(c.risk_items),
        "risk_assessment": c.risk_assessment,
        "reverify_items": uids(c.reverify_items),
        "regulatory_impact": c.regulatory_impact,
        "regulatory_text": c.regulatory_text,
        "state": c.state,
        "new_baseline": c.new_baseline_id,
        "content_sha256": content_hash(c.signature_content()),
        "signatures": signatures_out(c),
    }


@router.post("/projects/{pk}/changes", response={201: dict}, auth=AUTH)
def change_create(request: AuthenticatedHttpRequest, pk: int, body: ChangeIn):
    project = _project(request, pk)
    data = body.dict()
    for field in ("affected_items", "risk_items", "reverify_items"):
        data[field] = _items(project, data[field], field)
    made = change_actions.create_change(actor=request.user, project=project, **data)
    return Status(201, _change_detail(_change(request, made.pk)))


@router.get("/changes/{pk}", response=dict, auth=AUTH)
def change_read(request: AuthenticatedHttpRequest, pk: int):
    return _change_detail(_change(request, pk))


@router.post("/changes/{pk}/approve", response=dict, auth=AUTH)
def change_approve(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    change_actions.approve_change(
        actor=request.user,
        change=_change(request, pk),
        credentials=body.credentials(),
        comment=body.reason,
    )
    return _change_detail(_change(request, pk))


@router.post("/changes/{pk}/done", response=dict, auth=AUTH)
def change_done(request: AuthenticatedHttpRequest, pk: int, body: DoneIn):
    change_actions.complete_change(
        actor=request.user,
        change=_change(request, pk),
        baseline_name=body.baseline_name,
        baseline_kind=body.baseline_kind,
    )
    return _change_detail(_change(request, pk))
