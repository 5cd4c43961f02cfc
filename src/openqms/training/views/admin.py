"""Training configuration pages: job roles with their requirements and holders, people's
department and manager, competencies, the rule of each document type, quizzes, and
training assigned by hand.

They need training.role:manage (quizzes: training.record:manage); anyone else meets a
404. Every change goes through training.actions, which audit it.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import require_or_404
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, attempt_posted, attempt_with_reason
from openqms.documents import access as documents_access
from openqms.documents.models import Document, DocumentType
from openqms.training import actions
from openqms.training.actions.common import DEFAULT_RULE, rule_for
from openqms.training.forms.admin import (
    QUIZ_MAX,
    AssignForm,
    CompetencyForm,
    EmployeeForm,
    EndHoldingForm,
    HoldingForm,
    JobRoleForm,
    QuizEditForm,
    RequirementForm,
    TrainingRuleForm,
)
from openqms.training.models import (
    Competency,
    Employee,
    Holding,
    JobRole,
    Quiz,
    Requirement,
    TrainingRule,
)
from openqms.training.registry import MANAGE, RECORDS

QUIZ_SPARE = 3  # empty question blocks offered after the saved ones, at least QUIZ_MIN
QUIZ_MIN = 5


def _require(request: AuthenticatedHttpRequest, need: str = MANAGE) -> None:
    require_or_404(request.user, need)


def job_role_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = JobRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = attempt(
            request,
            form,
            lambda: actions.create_job_role(actor=request.user, **form.cleaned_data),
            "Job role created. Add what it requires, then give it to people.",
        )
        if role:
            return redirect("training:job-role", pk=role.pk)
    roles = JobRole.objects.annotate(
        holders=Count("holdings", filter=Q(holdings__ended_on__isnull=True), distinct=True),
        required=Count(
            "requirements", filter=Q(requirements__removed_at__isnull=True), distinct=True
        ),
    ).order_by("retired_at", "name")
    return render(request, "training/job_roles.html", {"roles": roles, "form": form})


def job_role_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    role = get_object_or_404(JobRole, pk=pk)
    requirements = role.requirements.select_related(
        "document", "doc_type", "competency", "process", "added_by", "removed_by"
    ).order_by("removed_at", "added_at", "pk")
    holdings = role.holdings.select_related("person", "started_by", "ended_by")
    context = {
        "role": role,
        "requirements": requirements,
        "holdings": holdings.filter(ended_on__isnull=True).order_by("person__full_name"),
        "ended": holdings.filter(ended_on__isnull=False).order_by("-ended_on", "-pk"),
        "requirement_form": RequirementForm(auto_id="req-%s"),
        "holding_form": HoldingForm(auto_id="hold-%s"),
        "end_form": EndHoldingForm(auto_id=False),
        "reason_form": ReasonForm(auto_id=False),
    }
    return render(request, "training/job_role.html", context)


@require_POST
def requirement_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    role = get_object_or_404(JobRole, pk=pk)
    form = RequirementForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: actions.add_requirement(actor=request.user, job_role=role, **data),
        "Requirement added; the role's holders were assigned what they lacked.",
    )
    return redirect("training:job-role", pk=role.pk)


@require_POST
def requirement_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    requirement = get_object_or_404(Requirement, pk=pk)
    attempt_with_reason(
        request,
        lambda reason: actions.remove_requirement(
            actor=request.user, requirement=requirement, reason=reason
        ),
        "Requirement removed; open training nothing else requires was closed.",
    )
    return redirect("training:job-role", pk=requirement.job_role_id)


@require_POST
def holding_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    role = get_object_or_404(JobRole, pk=pk)
    form = HoldingForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: actions.take_job_role(actor=request.user, job_role=role, **data),
        "Job role given; what it requires was assigned.",
    )
    return redirect("training:job-role", pk=role.pk)


@require_POST
def holding_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    holding = get_object_or_404(Holding, pk=pk)
    form = EndHoldingForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: actions.leave_job_role(actor=request.user, holding=holding, **data),
        "Holding ended; its records are kept.",
    )
    return redirect("training:job-role", pk=holding.job_role_id)


@require_POST
def job_role_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    role = get_object_or_404(JobRole, pk=pk)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_job_role(actor=request.user, job_role=role, reason=reason),
        "Job role retired.",
    )
    return redirect("training:job-role", pk=role.pk)


def employee_edit(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    _require(request)
    person = get_object_or_404(User, username=username)
    employee = Employee.objects.filter(user=person).select_related("manager").first()
    initial = {"department": employee.department, "manager": employee.manager} if employee else {}
    form = EmployeeForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.update_employee(actor=request.user, person=person, **form.cleaned_data),
            "Saved.",
        )
    ):
        return redirect("training:employee-edit", username=person.username)
    return render(request, "training/employee_edit.html", {"person": person, "form": form})


def competency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = CompetencyForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.create_competency(actor=request.user, **form.cleaned_data),
            "Competency defined; job roles can now require it.",
        )
    ):
        return redirect("training:competencies")
    context = {"competencies": Competency.objects.all(), "form": form}
    return render(request, "training/competencies.html", context)


def _rule_of(doc_type: DocumentType) -> TrainingRule:
    try:
        return doc_type.training_rule
    except TrainingRule.DoesNotExist:
        return DEFAULT_RULE


def rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    types = DocumentType.objects.select_related("training_rule").order_by("name")
    rows = [(t, _rule_of(t)) for t in types]
    return render(request, "training/rules.html", {"rows": rows})


def rule_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _require(request)
    doc_type = get_object_or_404(DocumentType, code=code)
    rule = rule_for(doc_type)
    initial = {f: getattr(rule, f) for f in TrainingRuleForm.base_fields if f != "reason"}
    form = TrainingRuleForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.update_training_rule(
                actor=request.user, doc_type=doc_type, **form.cleaned_data
            ),
            f"Training rule of {doc_type.name} saved.",
        )
    ):
        return redirect("training:rules")
    return render(request, "training/rule_edit.html", {"doc_type": doc_type, "form": form})


def _document(request: AuthenticatedHttpRequest, number: str) -> Document:
    return documents_access.get_document_for_user(request.user, number)


def _posted_blocks(request: AuthenticatedHttpRequest) -> int:
    """However many question blocks the page posted (up to the most a quiz may have)."""
    return max((n for n in range(1, QUIZ_MAX + 1) if f"q{n}_text" in request.POST), default=0)


def quiz_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The documents that have a quiz; any other document's quiz is started by its number."""
    _require(request, RECORDS)
    number = request.GET.get("number", "").strip()
    if number:
        if documents_access.visible_documents(request.user).filter(number=number).exists():
            return redirect("training:quiz-edit", number=number)
        messages.error(request, f"There is no document {number} you may see.")
    quizzes = Quiz.objects.select_related("document", "updated_by").order_by("document__number")
    return render(request, "training/quiz_list.html", {"quizzes": quizzes, "here": "quizzes"})


def quiz_edit(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    _require(request, RECORDS)
    document = _document(request, number)
    quiz = Quiz.objects.filter(document=document).first()
    saved = quiz.questions if quiz else []
    blocks = max(QUIZ_MIN, len(saved) + QUIZ_SPARE, _posted_blocks(request))
    if request.method == "POST":
        form = QuizEditForm(request.POST, blocks=blocks)
        if form.is_valid() and attempt(
            request,
            form,
            lambda: actions.save_quiz(
                actor=request.user,
                document=document,
                pass_mark=form.cleaned_data["pass_mark"],
                questions=form.questions(),
            ),
            f"Quiz on {document.number} saved.",
        ):
            return redirect("training:quiz-edit", number=document.number)
    else:
        initial = QuizEditForm.initial_for(quiz.pass_mark, saved) if quiz else {}
        form = QuizEditForm(initial=initial, blocks=blocks)
    context = {"document": document, "quiz": quiz, "form": form}
    return render(request, "training/quiz_edit.html", context)


def assign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = AssignForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        assignment = attempt(
            request,
            form,
            lambda: actions.assign_training(actor=request.user, **form.cleaned_data),
            "Training assigned.",
        )
        if assignment:
            messages.info(
                request,
                f"{assignment.person.full_name} is to train on {assignment.revision} "
                f"by {assignment.due_date:%d %b %Y}.",
            )
            return redirect("training:assign")
    return render(request, "training/assign.html", {"form": form})
