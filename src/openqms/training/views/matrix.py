"""The training matrix: people × requirements with each cell's status, completion per
document, the compliance chart, and the CSV and XLSX exports of the same filters.

Everyone with the matrix permission sees everyone; a manager sees their own people
(access.visible_people); anyone else gets the same 404 as for a page that is not there.
The page builds the matrix for the people of one page only, in a fixed number of queries.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.documents.models import Document
from openqms.training import access, chart, export, matrix
from openqms.training.forms.matrix import MatrixFilterForm
from openqms.training.models import Holding, Requirement, RequirementKind

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request: AuthenticatedHttpRequest) -> None:
    access.require_matrix_reader(request.user)


def _filters(request: AuthenticatedHttpRequest) -> tuple[MatrixFilterForm, dict | None]:
    """The filter form, and what it asks of matrix.build (None: the input was wrong)."""
    form = MatrixFilterForm(request.GET)
    return form, form.filters() if form.is_valid() else None


def _roles_requiring(document_id: int) -> QuerySet:
    """Job roles whose requirements name the document, its type, one of its clauses or a
    process it serves."""
    document = Document.objects.get(pk=document_id)
    return (
        Requirement.objects.filter(removed_at__isnull=True)
        .filter(
            Q(kind=RequirementKind.DOCUMENT, document_id=document_id)
            | Q(kind=RequirementKind.DOC_TYPE, doc_type_id=document.doc_type_id)
            | Q(kind=RequirementKind.CLAUSE, clause__in=document.clauses or [])
            | Q(kind=RequirementKind.PROCESS, process__documents=document_id)
        )
        .values("job_role")
    )


def people_in(user: User, job_role=None, department="", document=None) -> QuerySet[User]:
    """The people the matrix shows `user` under these filters, sorted by name: those
    visible to them who hold a job role today (as matrix.build counts holdings)."""
    today = timezone.localdate()
    holdings = Holding.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    if job_role:
        holdings = holdings.filter(job_role_id=job_role)
    if document:
        holdings = holdings.filter(job_role__in=_roles_requiring(document))
    people = access.visible_people(user).filter(is_active=True, pk__in=holdings.values("person"))
    if department:
        people = people.filter(employee__department=department)
    return people.order_by("full_name", "username")


def _scope(user: User, filters: dict) -> list[int] | None:
    """Everyone (None) for matrix readers; a manager's own people otherwise."""
    if access.sees_everyone(user):
        return None
    return list(people_in(user, **filters).values_list("pk", flat=True))


def _grid(built: matrix.Matrix) -> list[tuple[matrix.Row, SafeString]]:
    """Each row's cells as HTML. Cells are frozen values, and a page of 50 people × 500
    requirements holds only a few distinct ones: each is rendered once, not 25,000 times."""
    html: dict[matrix.Cell | None, str] = {}

    def one(cell: matrix.Cell | None) -> str:
        if cell not in html:
            html[cell] = render_to_string("training/matrix_cell.html", {"cell": cell}).strip()
        return html[cell]

    return [
        (row, mark_safe("".join(one(row.cells.get(c.key)) for c in built.columns)))  # noqa: S308 (rendered by the template)
        for row in built.rows
    ]


def _query(request: AuthenticatedHttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def matrix_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _reader(request)
    form, filters = _filters(request)
    people = people_in(request.user, **filters) if filters is not None else User.objects.none()
    page = Paginator(people.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    built = matrix.build(people=list(page.object_list), **(filters or {}))
    totals = built.totals()
    # The headline counts everyone when the view is unfiltered and fits one page, and the
    # chart then ends on today's same figure; otherwise the page says whom each counts.
    everyone = (
        filters is not None
        and not any(filters.values())
        and page.paginator.num_pages <= 1
        and access.sees_everyone(request.user)
    )
    points = chart.weekly_points(live=totals if everyone else None)
    context = {
        "form": form,
        "page": page,
        "matrix": built,
        "grid": _grid(built),
        "totals": totals,
        "percent": built.percent(),
        "everyone": everyone,
        "definition": matrix.DEFINITION,
        "points": points,
        "chart": chart.svg(points),
        "query": _query(request),
        "here": "matrix",
        "matrix_reader": True,
    }
    return render(request, "training/matrix.html", context)


def matrix_documents(request: AuthenticatedHttpRequest) -> HttpResponse:
    _reader(request)
    form, filters = _filters(request)
    if filters is None:
        built = matrix.Matrix(timezone.localdate(), [], [])
    else:
        built = matrix.build(people=_scope(request.user, filters), **filters)
    stats = built.column_stats()
    columns = [(c, *stats[c.key]) for c in built.columns]
    if request.GET.get("sort") == "lowest":
        columns.sort(key=lambda entry: (entry[3], entry[0].label))
    context = {
        "form": form,
        "columns": columns,
        "people": len(built.rows),
        "totals": built.totals(),
        "percent": built.percent(),
        "definition": matrix.DEFINITION,
        "query": _query(request),
        "query_by_number": _query(request, "sort"),
        "sorted_lowest": request.GET.get("sort") == "lowest",
        "here": "documents",
        "matrix_reader": True,
    }
    return render(request, "training/matrix_documents.html", context)


def matrix_export(
    request: AuthenticatedHttpRequest, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _reader(request)
    _, filters = _filters(request)
    if filters is None:
        raise Http404
    built = matrix.build(people=_scope(request.user, filters), **filters)
    name = f"training-matrix-{built.day.isoformat()}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(export.matrix_csv(built), content_type="text/csv")
    else:
        response = HttpResponse(export.matrix_xlsx(built), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
