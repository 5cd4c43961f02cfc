"""The posts that change software records: each calls one action and redirects back
(POST-redirect-GET); a refusal is shown as a message and nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from openqms.core.errors import DomainError, InvalidInput
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed
from openqms.design import access
from openqms.design.actions import software as actions
from openqms.design.models import (
    Baseline,
    Item,
    ProblemReport,
    SoftwareItem,
    SoftwareSystem,
    SoupItem,
    TestRun,
)
from openqms.design.registry import EDIT, REVIEW
from openqms.design.sbom import SIZE_LIMIT, ingest_sbom
from openqms.devices.models import Device
from openqms.documents.access import visible_documents


def _system(request: AuthenticatedHttpRequest, pk: int, permission: str = EDIT) -> Any:
    queryset = SoftwareSystem.objects.select_related("device")
    return access.get_for_user(request.user, queryset, pk, permission=permission)


def _one(queryset: Any, value: str, what: str) -> Any:
    value = (value or "").strip()
    if not value:
        return None
    found = queryset.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None:
        raise InvalidInput(f"There is no {what} “{value}”.", fields={what: "Not found."})
    return found


@require_POST
def system_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, EDIT)
    p = request.POST

    def call() -> Any:
        device = _one(Device.objects.all(), p.get("device", ""), "device")
        if device is None:
            raise InvalidInput("Choose the device.", fields={"device": "Required."})
        return actions.create_system(
            actor=request.user,
            device=device,
            name=p.get("name", ""),
            version=p.get("version", ""),
            safety_class=p.get("safety_class", ""),
            justification=p.get("justification", ""),
        )

    made = attempt(request, None, call, "Software system created.")
    return redirect(made) if made else redirect("design:software-systems")


@require_POST
def system_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    p = request.POST
    attempt(
        request,
        None,
        lambda: actions.edit_system(
            actor=request.user,
            system=system,
            name=p.get("name", ""),
            version=p.get("version", ""),
            safety_class=p.get("safety_class", ""),
            justification=p.get("justification", ""),
            reason=p.get("reason", ""),
        ),
        "Software system changed.",
    )
    return redirect(system)


@require_POST
def evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    p = request.POST

    def call() -> Any:
        number = p.get("document", "").strip()
        document = None
        if number:
            document = visible_documents(request.user).filter(number=number).first()
            if document is None:
                raise InvalidInput(f"There is no document {number} you can open.")
        return actions.record_evidence(
            actor=request.user,
            system=system,
            code=p.get("code", ""),
            document=document,
            baseline=_one(Baseline.objects.all(), p.get("baseline", ""), "baseline"),
            test_run=_one(TestRun.objects.all(), p.get("test_run", ""), "test run"),
            note=p.get("note", ""),
        )

    attempt(request, None, call, "Evidence recorded.")
    return redirect(system)


@require_POST
def item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    p = request.POST
    attempt(
        request,
        None,
        lambda: actions.create_software_item(
            actor=request.user,
            system=system,
            name=p.get("name", ""),
            safety_class=p.get("safety_class", ""),
            parent=_one(SoftwareItem.objects.filter(system=system), p.get("parent", ""), "parent"),
            is_unit=p.get("is_unit") == "on",
            description=p.get("description", ""),
        ),
        "Software item added.",
    )
    return redirect(system)


@require_POST
def problem_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    p = request.POST
    items = SoftwareItem.objects.filter(system=system)
    made = attempt(
        request,
        None,
        lambda: actions.report_problem(
            actor=request.user,
            system=system,
            title=p.get("title", ""),
            description=p.get("description", ""),
            software_item=_one(items, p.get("software_item", ""), "software item"),
        ),
        "Problem report opened.",
    )
    return redirect(made) if made else redirect(system)


STEPS = {
    "investigate": lambda user, report, p: actions.investigate_problem(
        actor=user,
        report=report,
        investigation=p.get("investigation", ""),
        change_needed=p.get("change_needed", ""),
    ),
    "resolve": lambda user, report, p: actions.resolve_problem(
        actor=user, report=report, verification=p.get("verification", "")
    ),
    "close": lambda user, report, p: actions.close_problem(
        actor=user, report=report, comment=p.get("comment", "")
    ),
}


@require_POST
def problem_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    report = access.get_for_user(request.user, ProblemReport.objects.all(), pk)
    take = STEPS.get(step)
    if take is None:
        messages.error(request, "There is no such step.")
    else:
        attempt(request, None, lambda: take(request.user, report, request.POST), "Recorded.")
    return redirect(report)


@require_POST
def problem_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    queryset = ProblemReport.objects.all()
    report = access.get_for_user(request.user, queryset, pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: actions.link_problem(
            actor=request.user,
            report=report,
            number=request.POST.get("number", ""),
            note=request.POST.get("note", ""),
        ),
        "Linked.",
    )
    return redirect(report)


@require_POST
def soup_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    soup = access.get_for_user(request.user, SoupItem.objects.all(), pk, permission=EDIT)
    attempt(
        request,
        None,
        lambda: actions.edit_soup(
            actor=request.user, soup=soup, requirements=request.POST.get("requirements", "")
        ),
        "Requirements saved.",
    )
    return redirect(soup)


@require_POST
def soup_risk(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    queryset = SoupItem.objects.select_related("system")
    soup = access.get_for_user(request.user, queryset, pk, permission=EDIT)

    def call() -> Any:
        uid = request.POST.get("risk", "").strip()
        risks = Item.objects.filter(uid=uid, item_type__code="risk")
        risk = risks.filter(project__device_id=soup.system.device_id).first() or risks.first()
        if risk is None:
            raise InvalidInput(f"There is no risk “{uid}”.", fields={"risk": "Not found."})
        return actions.link_soup_risk(actor=request.user, soup=soup, risk=risk)

    attempt(request, None, call, "Risk linked.")
    return redirect(soup)


@require_POST
def soup_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    soup = access.get_for_user(request.user, SoupItem.objects.all(), pk, permission=REVIEW)
    form = SignatureForm(request.POST)
    p = request.POST
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.review_soup(
            actor=request.user,
            soup=soup,
            anomalies=p.get("anomalies", ""),
            conclusion=p.get("conclusion", ""),
            reviewed_on=p.get("reviewed_on", ""),
            credentials=credentials,
        ),
        "Known-anomaly review signed.",
    )
    return redirect(soup)


@require_POST
def sbom_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = _system(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose the SBOM file.")
        return redirect("design:software-sboms", system.pk)
    if upload.size and upload.size > SIZE_LIMIT:
        messages.error(request, f"{upload.name} is larger than {SIZE_LIMIT // 1024 // 1024} MB.")
        return redirect("design:software-sboms", system.pk)
    try:
        found = ingest_sbom(
            actor=request.user, system=system, data=upload.read(), file_name=upload.name or ""
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("design:software-sboms", system.pk)
    messages.success(request, "SBOM read into the SOUP list.")
    return redirect(found)
