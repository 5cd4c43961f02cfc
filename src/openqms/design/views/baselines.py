"""Baseline pages: a project's baselines (paged, constant queries), one baseline with its
snapshot and the signing dialog, the comparison of two baselines and the design history
file (PDF, ZIP). Every change goes through design.actions.baselines."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import NotFound
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, attempt_signed
from openqms.design import access, dhf, snapshots
from openqms.design.actions import baselines as actions
from openqms.design.models import Baseline, BaselineItem, BaselineKind, DesignProject
from openqms.design.registry import BASELINE_SIGNED, EDIT, SIGN

PAGE_SIZE = 50


def _baselines(user: User) -> QuerySet[Baseline]:
    return access.visible(user, Baseline.objects.select_related("project", "created_by"))


def baseline_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    rows = _baselines(request.user).filter(project=project).annotate(item_count=Count("items"))
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "design/baselines/list.html",
        {
            "project": project,
            "page": page,
            "rows": list(page.object_list),
            "kinds": BaselineKind.choices,
            "can_edit": has_permission(request.user, EDIT),
        },
    )


@require_POST
def baseline_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    made = attempt(
        request,
        None,
        lambda: actions.create_baseline(
            actor=request.user,
            project=project,
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""),
        ),
        "Baseline taken.",
    )
    if isinstance(made, Baseline):
        return redirect("design:baseline", pk=made.pk)
    return redirect("design:baselines", pk=pk)


def baseline_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    baseline = access.get_for_user(request.user, _baselines(request.user), pk)
    items = BaselineItem.objects.filter(baseline=baseline).order_by("uid")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    held, live = actions.suspect_counts(baseline)
    sign = actions.BASELINE_SIGNING.get("sign")
    why_not = actions.BASELINE_SIGNING.refusal(baseline, request.user, sign)
    others = _baselines(request.user).filter(project=baseline.project_id).exclude(pk=pk)
    return render(
        request,
        "design/baselines/detail.html",
        {
            "baseline": baseline,
            "page": page,
            "rows": list(page.object_list),
            "suspect_held": held,
            "suspect_live": live,
            "gaps": baseline.project.gaps.count(),
            "can_sign": has_permission(request.user, SIGN) and why_not is None,
            "why_not": why_not.message if why_not and has_permission(request.user, SIGN) else "",
            "meaning": BASELINE_SIGNED,
            "can_refresh": has_permission(request.user, EDIT) and baseline.state == "open",
            "others": list(others.order_by("-created_at")[:100]),
        },
    )


@require_POST
def baseline_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    baseline = access.get_for_user(request.user, _baselines(request.user), pk, permission=SIGN)
    form = SignatureForm(request.POST)
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.sign_baseline(
            actor=request.user, baseline=baseline, credentials=credentials, comment=data["reason"]
        ),
        "Baseline signed.",
    )
    return redirect("design:baseline", pk=pk)


@require_POST
def baseline_refresh(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    baseline = access.get_for_user(request.user, _baselines(request.user), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: actions.refresh_baseline(actor=request.user, baseline=baseline),
        "Baseline taken again at the items' current versions.",
    )
    return redirect("design:baseline", pk=pk)


def baseline_compare(request: AuthenticatedHttpRequest, pk: int, other: int) -> HttpResponse:
    a = access.get_for_user(request.user, _baselines(request.user), pk)
    b = access.get_for_user(request.user, _baselines(request.user), other)
    if a.project_id != b.project_id:
        raise NotFound()  # baselines of two projects are not compared
    # Always from the older to the newer, whichever page the comparison started on: an
    # item of the newer baseline reads as added, never as removed.
    if (a.created_at, a.pk) > (b.created_at, b.pk):
        a, b = b, a
    return render(
        request, "design/baselines/compare.html", {"diff": snapshots.compare(a, b), "a": a, "b": b}
    )


def baseline_dhf(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    baseline = access.get_for_user(request.user, _baselines(request.user), pk)
    if fmt not in ("pdf", "zip"):
        raise NotFound()
    stem = f"DHF-{baseline.project.name}-{baseline.name}".replace(" ", "_")
    if fmt == "pdf":
        body, kind = dhf.pdf_bytes(baseline, request.user), "application/pdf"
    else:
        body, kind = dhf.zip_bytes(baseline, request.user), "application/zip"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def baseline_compare_pick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The compare form's GET: on to the comparison page."""
    access.get_for_user(request.user, _baselines(request.user), pk)
    other = request.GET.get("other", "")
    if not other.isdigit():
        raise NotFound()
    return redirect("design:baseline-compare", pk=pk, other=int(other))
