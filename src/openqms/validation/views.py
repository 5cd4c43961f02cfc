"""Validation reports' pages: the list, one report (summary, deviations, delta, files,
the approval), the files' downloads, and the signed approval."""

from __future__ import annotations

import datetime as dt
import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.files import open_stored
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt_signed
from openqms.validation import access, actions
from openqms.validation.registry import APPROVE

FILES = {"pdf": ("pdf_file", "application/pdf"), "json": ("json_file", "application/json")}


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports = access.visible_reports(request.user).order_by("-stored_at", "-pk")
    return render(request, "validation/list.html", {"reports": reports})


def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    with open_stored(report.json_file) as stream:
        body = json.loads(stream.read())
    # The JSON keeps ISO 8601 moments; the page shows them in the instance's time zone.
    upgrades = [{**u, "at": dt.datetime.fromisoformat(u["at"])} for u in body.get("upgrades", [])]
    return render(
        request,
        "validation/detail.html",
        {
            "report": report,
            "body": body,
            "upgrades": upgrades,
            "changed": actions.files_changed_message(report),
            "can_approve": bool(actions.APPROVAL.available(report, request.user)),
            "approver": has_permission(request.user, APPROVE),
        },
    )


def report_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> FileResponse:
    report = access.get_report_for_user(request.user, pk)
    if kind not in FILES:
        raise Http404
    field, content_type = FILES[kind]
    return FileResponse(
        open_stored(getattr(report, field)),
        as_attachment=True,
        filename=f"{report.number}.{kind}",
        content_type=content_type,
    )


@require_POST
def report_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    attempt_signed(
        request,
        SignatureForm(request.POST),
        lambda data, credentials: actions.approve_report(
            actor=request.user, report=report, credentials=credentials, comment=data["reason"]
        ),
        "Validation report approved.",
    )
    return redirect("validation:report", pk=pk)
