"""Design review and design change pages: a project's reviews and changes (paged), one
review with the signing dialog for each named person, one change with its impact
assessment, the approval dialog and "done" (which opens a new baseline). Every change
goes through design.actions.reviews and design.actions.changes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import InvalidInput
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, attempt_signed
from openqms.design import access
from openqms.design.actions import changes as change_actions
from openqms.design.actions import reviews as review_actions
from openqms.design.models import (
    BaselineKind,
    DesignChange,
    DesignPhase,
    DesignProject,
    DesignReview,
    Item,
    ReviewOutcome,
)
from openqms.design.registry import DESIGN_CHANGE_APPROVED, DESIGN_REVIEW_SIGNED, EDIT
from openqms.qms.scope_public import scope_url

PAGE_SIZE = 50


def review_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    reviews = access.visible(request.user, DesignReview.objects.filter(project=project))
    changes = access.visible(request.user, DesignChange.objects.filter(project=project))
    review_page = Paginator(
        reviews.select_related("phase").order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    change_page = Paginator(
        changes.select_related("new_baseline").order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("changes"))
    return render(
        request,
        "design/baselines/reviews.html",
        {
            "project": project,
            "reviews": list(review_page.object_list),
            "review_page": review_page,
            "changes": list(change_page.object_list),
            "change_page": change_page,
            "phases": list(DesignPhase.objects.filter(project=project).all()),
            "baselines": list(project.baselines.order_by("-created_at")[:100]),
            "people": list(User.objects.filter(is_active=True).order_by("username")[:500]),
            "outcomes": ReviewOutcome.choices,
            "can_edit": has_permission(request.user, EDIT),
        },
    )


def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rows = DesignReview.objects.select_related("project", "phase", "baseline")
    review = access.get_for_user(request.user, rows, pk)
    mine = review_actions.my_part(review, request.user)
    can_sign = mine is not None and bool(review_actions.SIGNING.available(mine, request.user))
    submit = review_actions.REVIEW_FLOW.get("submit")
    return render(
        request,
        "design/baselines/review.html",
        {
            "review": review,
            "participants": list(review.participants.select_related("person")),
            "findings": list(review.findings.select_related("owner")),
            "items": list(review.items.order_by("uid")),
            "mine": mine,
            "can_sign": can_sign,
            "meaning": DESIGN_REVIEW_SIGNED,
            "can_submit": review_actions.REVIEW_FLOW.refusal(review, request.user, submit) is None,
        },
    )


@require_POST
def review_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = access.get_for_user(request.user, DesignReview.objects.all(), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: review_actions.submit_review(actor=request.user, review=review),
        "Sent for signatures.",
    )
    return redirect("design:review", pk=pk)


@require_POST
def review_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = access.get_for_user(request.user, DesignReview.objects.all(), pk)
    attempt_signed(
        request,
        SignatureForm(request.POST),
        lambda data, credentials: review_actions.sign_review(
            actor=request.user, review=review, credentials=credentials, comment=data["reason"]
        ),
        "Design review signed.",
    )
    return redirect("design:review", pk=pk)


def change_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rows = DesignChange.objects.select_related(
        "project__device", "new_baseline", "created_by", "scope_version"
    )
    change = access.get_for_user(request.user, rows, pk)
    flow = change_actions.CHANGE_FLOW
    return render(
        request,
        "design/baselines/change.html",
        {
            "change": change,
            "affected": list(change.affected_items.order_by("sort_key", "uid")),
            "risks": list(change.risk_items.order_by("sort_key", "uid")),
            "reverify": list(change.reverify_items.order_by("sort_key", "uid")),
            "can_approve": flow.refusal(change, request.user, flow.get("approve")) is None,
            "can_complete": flow.refusal(change, request.user, flow.get("done")) is None,
            "meaning": DESIGN_CHANGE_APPROVED,
            "kinds": BaselineKind.choices,
            "register_note": change_actions.REGISTER_NOTE,
            "scope_url": scope_url(change.scope_version) if change.scope_version else "",
            "can_edit": has_permission(request.user, EDIT),
        },
    )


@require_POST
def change_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = access.get_for_user(request.user, DesignChange.objects.all(), pk)
    attempt_signed(
        request,
        SignatureForm(request.POST),
        lambda data, credentials: change_actions.approve_change(
            actor=request.user, change=change, credentials=credentials, comment=data["reason"]
        ),
        "Design change approved.",
    )
    return redirect("design:change", pk=pk)


@require_POST
def change_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = access.get_for_user(request.user, DesignChange.objects.all(), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: change_actions.complete_change(
            actor=request.user,
            change=change,
            baseline_name=request.POST.get("baseline_name", ""),
            baseline_kind=request.POST.get("baseline_kind", BaselineKind.OTHER),
        ),
        "Design change done: a new baseline is open.",
    )
    return redirect("design:change", pk=pk)


def _uids(project: DesignProject, value: str) -> list[Item]:
    """Items of `project` named by ID, separated by commas or spaces; unknown IDs are
    refused by name."""
    uids = [u for u in value.replace(",", " ").split() if u]
    found = list(Item.objects.filter(project=project, uid__in=uids))
    missing = sorted(set(uids) - {i.uid for i in found})
    if missing:
        raise InvalidInput(f"No item {', '.join(missing[:10])} in {project}.")
    return found


@require_POST
def phase_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: review_actions.create_phase(
            actor=request.user,
            project=project,
            name=request.POST.get("name", ""),
            planned_end=request.POST.get("planned_end") or None,
        ),
        "Phase added.",
    )
    return redirect("design:reviews", pk=pk)


@require_POST
def phase_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    phase = access.get_for_user(request.user, DesignPhase.objects.all(), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: review_actions.close_phase(actor=request.user, phase=phase),
        "Phase closed.",
    )
    return redirect("design:reviews", pk=phase.project_id)


@require_POST
def review_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    post = request.POST

    def create() -> DesignReview:
        baseline = project.baselines.filter(pk=_id(post.get("baseline"))).first()
        finding = post.get("finding", "").strip()
        due = post.get("finding_due") or None
        owner = post.get("finding_owner", "")
        return review_actions.create_review(
            actor=request.user,
            project=project,
            title=post.get("title", ""),
            phase=DesignPhase.objects.filter(project=project)
            .filter(pk=_id(post.get("phase")))
            .first(),
            baseline=baseline,
            items=_uids(project, post.get("items", "")),
            participants=post.getlist("participants"),
            independent_reviewer=post.get("independent_reviewer", ""),
            outcome=post.get("outcome", ""),
            summary=post.get("summary", ""),
            findings=[{"text": finding, "owner": owner, "due": due}] if finding else [],
        )

    made = attempt(request, None, create, "Design review recorded.")
    if isinstance(made, DesignReview):
        return redirect("design:review", pk=made.pk)
    return redirect("design:reviews", pk=pk)


@require_POST
def change_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    post = request.POST

    def create() -> DesignChange:
        return change_actions.create_change(
            actor=request.user,
            project=project,
            title=post.get("title", ""),
            description=post.get("description", ""),
            reason=post.get("reason", ""),
            affected_items=_uids(project, post.get("affected_items", "")),
            risk_items=_uids(project, post.get("risk_items", "")),
            risk_assessment=post.get("risk_assessment", ""),
            reverify_items=_uids(project, post.get("reverify_items", "")),
            regulatory_impact=post.get("regulatory_impact") == "on",
            regulatory_text=post.get("regulatory_text", ""),
            scope_impact=post.get("scope_impact") == "on",
        )

    made = attempt(request, None, create, "Design change recorded.")
    if isinstance(made, DesignChange):
        return redirect("design:change", pk=made.pk)
    return redirect("design:reviews", pk=pk)


def _id(value: str | None) -> int:
    """A posted id, or 0 (which matches no row) for none or garbage."""
    return int(value) if value and value.isdigit() and len(value) < 10 else 0
