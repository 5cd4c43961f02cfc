"""Outsourced processes (ISO 13485 4.1.5): the list, one with its interface definition,
and the forms that add, edit and retire them and their interface rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, attempt_posted, attempt_with_reason
from openqms.documents.access import visible_documents
from openqms.documents.models import Revision, RevisionState
from openqms.suppliers import access, actions, due
from openqms.suppliers.forms import ActivityForm, DutyForm, OutsourcedForm
from openqms.suppliers.models import OutsourcedProcess
from openqms.suppliers.registry import MANAGE

PAGE_SIZE = 25
IN_FORCE = Prefetch(
    "agreement__revisions",
    queryset=Revision.objects.filter(state=RevisionState.EFFECTIVE),
    to_attr="effective_revisions",
)


def _with_problems(rows: list[OutsourcedProcess], user: User) -> list[OutsourcedProcess]:
    """Each row's agreement problem and revision in force, and whether `user` may open the
    agreement (documents.access): its number and title are shown only then."""
    today = timezone.localdate()
    ids = {row.agreement_id for row in rows if row.agreement_id}
    openable = set(visible_documents(user).filter(pk__in=ids).values_list("pk", flat=True))
    for row in rows:
        row.agreement_open = row.agreement_id in openable  # type: ignore[attr-defined]
        problem = due.agreement_problem(row, today)
        doc = row.agreement
        if doc is not None and not row.agreement_open:  # type: ignore[attr-defined]
            problem = problem.replace(f" {doc.number}", "")  # the number is not theirs to see
        row.problem = problem  # type: ignore[attr-defined]
        effective = getattr(doc, "effective_revisions", [])
        row.revision = effective[0] if effective else None  # type: ignore[attr-defined]
    return rows


def outsourced_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    rows = (
        access.visible_outsourced(request.user)
        .filter(retired_at__isnull=True)
        .select_related("partner", "process", "agreement")
        .prefetch_related(IN_FORCE)
        .order_by("title", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suppliers/outsourced_list.html",
        {
            "page": page,
            "rows": _with_problems(list(page.object_list), request.user),
            "can_manage": has_permission(request.user, MANAGE),
        },
    )


def outsourced_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access.get_outsourced_for_user(request.user, pk)
    outsourced = (
        OutsourcedProcess.objects.prefetch_related(IN_FORCE)
        .select_related("partner", "process", "agreement", "partner_certificate")
        .get(pk=found.pk)
    )
    _with_problems([outsourced], request.user)
    return render(
        request,
        "suppliers/outsourced.html",
        {
            "o": outsourced,
            "today": timezone.localdate(),
            "activities": list(outsourced.activities.filter(removed_at__isnull=True)),
            "duties": list(outsourced.duties.filter(removed_at__isnull=True)),
            "can_manage": has_permission(request.user, MANAGE) and outsourced.retired_at is None,
            "activity_form": ActivityForm(),
            "duty_form": DutyForm(),
        },
    )


def _save(request: AuthenticatedHttpRequest, form: OutsourcedForm, outsourced=None):
    def call():
        if outsourced is None:
            return actions.create_outsourced_process(actor=request.user, **form.cleaned_data)
        return actions.edit_outsourced_process(
            actor=request.user, outsourced=outsourced, **form.cleaned_data
        )

    return attempt(request, form, call, "Outsourced process saved.")


def outsourced_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, MANAGE)
    form = OutsourcedForm(request.POST or None, initial={"partner": request.GET.get("partner")})
    if request.method == "POST" and form.is_valid() and (made := _save(request, form)):
        return redirect("suppliers:outsourced", pk=made.pk)
    return render(request, "suppliers/outsourced_form.html", {"form": form})


def outsourced_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    outsourced = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    initial = {f: getattr(outsourced, f) for f in actions.outsourced.FIELDS}
    form = OutsourcedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, outsourced):
        return redirect("suppliers:outsourced", pk=outsourced.pk)
    return render(request, "suppliers/outsourced_form.html", {"form": form, "o": outsourced})


@require_POST
def outsourced_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    outsourced = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_outsourced_process(
            actor=request.user, outsourced=outsourced, reason=reason
        ),
        "Outsourced process retired; the record is kept.",
    )
    return redirect("suppliers:outsourced", pk=outsourced.pk)


@require_POST
def activity_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    outsourced = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    attempt_posted(
        request,
        ActivityForm(request.POST),
        lambda data: actions.add_activity(actor=request.user, outsourced=outsourced, **data),
        "Activity added to the interface.",
    )
    return redirect("suppliers:outsourced", pk=outsourced.pk)


@require_POST
def duty_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    outsourced = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    attempt_posted(
        request,
        DutyForm(request.POST),
        lambda data: actions.add_duty(actor=request.user, outsourced=outsourced, **data),
        "Notification duty added.",
    )
    return redirect("suppliers:outsourced", pk=outsourced.pk)


@require_POST
def row_remove(request: AuthenticatedHttpRequest, pk: int, kind: str, row: int) -> HttpResponse:
    outsourced = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    attempt(
        request,
        None,
        lambda: actions.remove_interface_row(
            actor=request.user, outsourced=outsourced, kind=kind, pk=row
        ),
        "Row removed from the interface; the trail keeps what it said.",
    )
    return redirect("suppliers:outsourced", pk=outsourced.pk)
