"""The trace over the API: a project's gaps, its matrix (paged JSON, the page's filters)
and the matrix as CSV. Everyone with a role reads; a project that is missing or not
readable is a 404."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Field, Query, Schema

from openqms.core.api import MEMBERS
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access, matrix, trace
from openqms.design.api import router
from openqms.design.matrix import exports
from openqms.design.models import DesignProject

MAX_ID = 2**31 - 1


class GapOut(Schema):
    uid: str
    item_id: int
    rule: str
    message: str
    detail: str


class ReachedOut(Schema):
    item_id: int
    uid: str
    title: str
    gaps: list[str]


class RowOut(Schema):
    item_id: int
    uid: str
    title: str
    gaps: list[str]
    reached: list[ReachedOut]


class MatrixQuery(Schema):
    from_type: str | None = Field(None, alias="from", max_length=40)
    to_type: str | None = Field(None, alias="to", max_length=40)
    only_gaps: bool = False
    q: str = Field("", max_length=200)
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(100, ge=1, le=1000)


class MatrixPage(Schema):
    from_type: str | None
    to_type: str | None
    count: int
    items: list[RowOut]
    next_offset: int | None


def _project(request: AuthenticatedHttpRequest, pk: int) -> DesignProject:
    return access.get_for_user(request.user, DesignProject.objects.all(), min(pk, MAX_ID))


@router.get("/projects/{pk}/gaps", response=list[GapOut], auth=MEMBERS)
def project_gaps(request: AuthenticatedHttpRequest, pk: int):
    """Every open gap of the project (the stored gap state, kept current by every change)."""
    project = _project(request, pk)
    return [row._asdict() for row in trace.gaps(project.pk)]


@router.get("/projects/{pk}/matrix", response=MatrixPage, auth=MEMBERS)
def project_matrix(request: AuthenticatedHttpRequest, pk: int, q: Query[MatrixQuery]):
    """The trace matrix from one level to another (default: top to bottom), paged."""
    project = _project(request, pk)
    ends = matrix.levels(project.pk, q.from_type, q.to_type)
    rows = matrix.rows(project.pk, q.from_type, q.to_type, only_gaps=q.only_gaps, search=q.q)
    shown = rows[q.offset : q.offset + q.limit]
    more = q.offset + q.limit < len(rows)
    return {
        "from_type": ends.from_type.code if ends else None,
        "to_type": ends.to_type.code if ends else None,
        "count": len(rows),
        "items": [
            {
                "item_id": r.item_id,
                "uid": r.uid,
                "title": r.title,
                "gaps": list(r.gaps),
                "reached": [
                    {"item_id": x.item_id, "uid": x.uid, "title": x.title, "gaps": list(x.gaps)}
                    for x in r.reached
                ],
            }
            for r in shown
        ],
        "next_offset": q.offset + q.limit if more else None,
    }


@router.get("/projects/{pk}/matrix.csv", auth=MEMBERS)
def project_matrix_csv(request: AuthenticatedHttpRequest, pk: int, q: Query[MatrixQuery]):
    """The same matrix as a CSV file (every row, no paging)."""
    project = _project(request, pk)
    data = exports.render(
        project,
        ".csv",
        viewer=request.user,
        from_type=q.from_type,
        to_type=q.to_type,
        only_gaps=q.only_gaps,
        search=q.q,
    )
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[".csv"])
    response["Content-Disposition"] = f'attachment; filename="trace-matrix-{project.pk}.csv"'
    return response
