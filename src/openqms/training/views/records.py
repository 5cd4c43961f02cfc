"""Competence records (ISO 13485 6.2 e) and the evaluation of a person in a job role
(6.2 d). People and records reach these views only through training.access; every change
goes through training.actions, which checks the permission again.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core import files
from openqms.core.access import require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.signatures import has_second_factor
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason
from openqms.training import access, actions
from openqms.training.forms.assignments import CompetenceRecordForm, RoleEvaluationForm
from openqms.training.models import CompetenceRecord, JobRole
from openqms.training.registry import EVALUATE, RECORDS


def _person(request: AuthenticatedHttpRequest, username: str) -> User:
    return access.get_person_for_user(request.user, username)


def _record(request: AuthenticatedHttpRequest, pk: int) -> CompetenceRecord:
    return access.get_record_for_user(request.user, pk)


def record_create(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    person = _person(request, username)
    require_or_404(request.user, RECORDS)
    form = CompetenceRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        done = attempt(
            request,
            form,
            lambda: actions.add_competence_record(
                actor=request.user,
                person=person,
                file_name=upload.name if upload else "",
                file_content=upload,
                **data,
            ),
            f"Competence record added to {person.full_name}'s training record.",
        )
        if done:
            return redirect("training:person", username=person.username)
    return render(request, "training/record_form.html", {"form": form, "person": person})


def record_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    record = _record(request, pk)
    if record.file is None:
        raise Http404
    data = files.open_stored(record.file)
    return FileResponse(data, as_attachment=True, filename=record.file_name)


@require_POST
def record_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, RECORDS)
    record = _record(request, pk)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_competence_record(
            actor=request.user, record=record, reason=reason
        ),
        f"Withdrew “{record.title}”; it is kept on record.",
    )
    return redirect("training:person", username=record.person.username)


@require_POST
def role_evaluate(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    require_or_404(request.user, EVALUATE)
    person = _person(request, username)
    held = JobRole.objects.filter(holdings__person=person, holdings__ended_on__isnull=True)
    form = RoleEvaluationForm(
        request.POST, roles=held.distinct(), needs_code=has_second_factor(request.user)
    )
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.evaluate_training(
            actor=request.user,
            person=person,
            job_role=data["job_role"],
            method=data["method"],
            result=data["result"],
            comment=data["comment"],
            credentials=credentials,
        ),
        f"Signed: {person.full_name}'s effectiveness in a job role evaluated.",
    )
    return redirect("training:person", username=username)
