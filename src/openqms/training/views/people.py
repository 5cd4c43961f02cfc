"""People and their individual training record, on screen and as a PDF.

A person reaches these pages only through access.get_person_for_user: their own record,
their reports' (as manager), everyone's with the matrix permission; else the same 404.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.views.common import typed
from openqms.training import access, export, matrix
from openqms.training.forms.assignments import RoleEvaluationForm
from openqms.training.forms.matrix import PeopleFilterForm
from openqms.training.models import Holding, JobRole
from openqms.training.pdf import render_person_record
from openqms.training.registry import EVALUATE, MANAGE, RECORDS
from openqms.training.views.matrix import PAGE_SIZE

# As the documents' PDFs: the browser's viewer may show it, nothing else runs.
PDF_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"


def _person(request: AuthenticatedHttpRequest, username: str) -> User:
    return access.get_person_for_user(request.user, username)


def _matrix_reader(user: User) -> bool:
    return access.sees_everyone(user) or access.manages_anyone(user)


def _listed(user: User, filters: dict):
    today = timezone.localdate()
    held = Holding.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    people = access.visible_people(user).filter(is_active=True)
    if filters["job_role"]:
        people = people.filter(pk__in=held.filter(job_role_id=filters["job_role"]).values("person"))
    if filters["department"]:
        people = people.filter(employee__department=filters["department"])
    return (
        people.select_related("employee__manager")
        .prefetch_related(
            Prefetch(
                "job_roles_held",
                queryset=held.select_related("job_role").order_by("job_role__name"),
                to_attr="roles_now",
            )
        )
        .order_by("full_name", "username")
    )


def people_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_participant(request.user)
    form = PeopleFilterForm(request.GET)
    filters = form.filters() if form.is_valid() else None
    people = _listed(request.user, filters) if filters else User.objects.none()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    built = matrix.build(people=[p.pk for p in rows])
    percent = {row.person_id: row.percent for row in built.rows}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(p, percent.get(p.pk)) for p in rows],
        "query": query.urlencode(),
        "here": "people",
        "matrix_reader": _matrix_reader(request.user),
    }
    return render(request, "training/people.html", context)


def _role_evaluation_forms(
    request: AuthenticatedHttpRequest, person: User
) -> list[tuple[Holding, RoleEvaluationForm]]:
    """One signing form per job role the person holds, each carrying the hash of what the
    evaluator is shown for it; the one whose signing failed comes back as it was typed."""
    kept = typed(request, reverse("training:role-evaluate", args=[person.username]))
    held = (
        Holding.objects.filter(person=person, ended_on__isnull=True)
        .select_related("person", "job_role")
        .order_by("job_role__name")
    )
    return [
        (
            holding,
            RoleEvaluationForm(
                roles=JobRole.objects.filter(pk=holding.job_role_id),
                needs_code=has_second_factor(request.user),
                auto_id=f"role-eval-{holding.job_role_id}-%s",
                initial={
                    **(kept if kept.get("job_role") == str(holding.job_role_id) else {}),
                    "job_role": holding.job_role_id,
                    "content_hash": content_hash(holding.evaluation_content()),
                },
            ),
        )
        for holding in held
    ]


def person_detail(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    person, user = _person(request, username), request.user
    can_evaluate = has_permission(user, EVALUATE) and person.pk != user.pk
    context = {
        "role_evaluation_forms": _role_evaluation_forms(request, person) if can_evaluate else [],
        "record": export.person_record(person),
        "person": person,
        "can_manage": has_permission(user, MANAGE),
        "can_record": has_permission(user, RECORDS),
        "can_evaluate": can_evaluate,
        "here": "people",
        "matrix_reader": _matrix_reader(user),
    }
    return render(request, "training/person.html", context)


def person_pdf(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    person = _person(request, username)
    pdf = render_person_record(export.person_record(person), generated_by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"training-record-{person.username}-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = PDF_POLICY
    response["Cache-Control"] = "no-store"
    return response
