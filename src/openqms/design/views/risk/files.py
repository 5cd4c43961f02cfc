"""Risk files: the list, a new file, the file with its matrix grid, plan, overall
residual risk, scales, open reviews and the signed risk management report."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed
from openqms.design import access, risk_matrix
from openqms.design.actions import risk
from openqms.design.models import (
    HazardousSituation,
    ProbabilityLevel,
    Region,
    RiskFile,
    RiskReview,
    SeverityLevel,
)
from openqms.design.registry import CONFIGURE, EDIT, SIGN
from openqms.design.views.risk.common import PAGE_SIZE, get_file, run_form
from openqms.design.views.risk.forms import ReportForm
from openqms.devices.models import Device
from openqms.documents.access import visible_documents


def file_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, None)
    files = RiskFile.objects.select_related("device").order_by("device__name", "pk")
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    may_edit = has_permission(request.user, EDIT)
    devices = Device.objects.exclude(pk__in=RiskFile.objects.values("device_id"))
    return render(
        request,
        "design/risk/files.html",
        {"page": page, "may_edit": may_edit, "devices": devices.order_by("name")[:200]},
    )


@require_POST
def file_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, EDIT)
    device = Device.objects.filter(pk=count_or_zero(request.POST.get("device"))).first()
    if device is None:
        messages.error(request, "Choose the device of the risk file.")
        return redirect("design:risk-files")
    made = attempt(
        request,
        None,
        lambda: risk.create_risk_file(actor=request.user, device=device),
        "Risk file created with the default acceptability criteria.",
    )
    return redirect(made) if isinstance(made, RiskFile) else redirect("design:risk-files")


def count_or_zero(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


REGION_LABELS = dict(Region.choices) | {"not estimated": "not estimated"}


def fact_rows(file: RiskFile, facts: dict) -> list[tuple[str, str]]:
    """What the report's signer signs over, as the dialog (and the signed report) shows
    it: label, value."""

    def regions(counts: dict) -> str:
        shown = [f"{n} {REGION_LABELS.get(r, r)}" for r, n in counts.items() if n]
        return ", ".join(shown) or "none"

    return [
        ("Risk management plan", facts.get("plan") or "not chosen"),
        ("Overall residual risk", file.overall_residual_risk or "not stated"),
        ("Hazardous situations before controls", regions(facts.get("situations_before", {}))),
        ("Hazardous situations after controls", regions(facts.get("situations_after", {}))),
        ("Situations not evaluated", str(facts.get("unevaluated", 0))),
        ("Open risk reviews", str(facts.get("open_reviews", 0))),
        ("Controls without verification", str(facts.get("controls_without_verification", 0))),
    ]


def file_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk)
    severities = list(SeverityLevel.objects.filter(file=file).order_by("-rank"))
    probabilities = list(ProbabilityLevel.objects.filter(file=file).order_by("rank"))
    cells = risk_matrix.regions(file)
    grid = [
        (s, [(p, cells.get((s.rank, p.rank), Region.UNACCEPTABLE)) for p in probabilities])
        for s in severities
    ]
    situations = HazardousSituation.objects.filter(file=file, retired_at__isnull=True)
    return render(
        request,
        "design/risk/file.html",
        {
            "file": file,
            "grid": grid,
            "severities": severities,
            "probabilities": probabilities,
            "regions": Region.choices,
            "counts": {
                "hazards": file.hazards.filter(retired_at__isnull=True).count(),
                "situations": situations.count(),
                "unevaluated": situations.filter(evaluated_at__isnull=True).count(),
            },
            "reviews": RiskReview.objects.filter(file=file, closed_at__isnull=True)[:20],
            "refusal": risk.report_refusal(file),
            "may_edit": has_permission(request.user, EDIT),
            "may_configure": has_permission(request.user, CONFIGURE),
            "may_sign": has_permission(request.user, SIGN),
            "documents": visible_documents(request.user).order_by("number")[:200],
            "report_form": ReportForm(),
            # The facts the signature covers: live while the report is open, as signed
            # once it is (the model's signature_content decides; the dialog's hash too).
            "facts": fact_rows(file, file.signature_content()["facts"]),
        },
    )


@require_POST
def file_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk, EDIT)
    names = ("plan", "overall_residual_risk")
    to = file.get_absolute_url()
    return run_form(request, risk.edit_risk_file, names, "Risk file saved.", to, file=file)


@require_POST
def matrix_cell(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk, CONFIGURE)
    names = ("severity", "probability", "region")
    done = "Matrix changed; every risk was re-evaluated under it."
    return run_form(request, risk.set_matrix_cell, names, done, file.get_absolute_url(), file=file)


@require_POST
def level(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk, CONFIGURE)
    names = ("scale", "rank", "name", "description")
    done, to = "Scale level saved.", file.get_absolute_url()
    return run_form(request, risk.set_level, names, done, to, file=file)


@require_POST
def report_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk, SIGN)
    attempt_signed(
        request,
        ReportForm(request.POST),
        lambda data, credentials: risk.sign_report(
            actor=request.user,
            file=file,
            credentials=credentials,
            conclusion=data["conclusion"],
            residual_acceptable=data["residual_acceptable"],
            plan_followed=data["plan_followed"],
        ),
        "Risk management report signed.",
    )
    return redirect(file)
