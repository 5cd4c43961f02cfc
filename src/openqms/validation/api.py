"""Validation reports over the API, read only: the list and one report with its
deviations and delta (approving needs the page's signing dialog). Found through
`validation.access`: 404 for missing and forbidden alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema

from openqms.core.api import MEMBERS
from openqms.core.http import AuthenticatedHttpRequest
from openqms.validation import access
from openqms.validation.compose import body_of
from openqms.validation.models import ValidationReport

router = Router(tags=["validation"], auth=MEMBERS)


class ReportOut(Schema):
    id: int
    number: str
    version: str
    engine: str
    state: str
    passed: bool
    iq_passed: bool
    oq_passed: bool
    counts: dict[str, int]
    started_at: dt.datetime
    finished_at: dt.datetime
    stored_at: dt.datetime
    json_sha256: str
    pdf_sha256: str
    compared_with: str | None


class ReportDetailOut(ReportOut):
    deviations: list[dict[str, str]]
    delta: dict[str, Any] | None
    upgrades: list[dict[str, Any]]


def _out(r: ValidationReport) -> dict[str, Any]:
    return {
        **{f: getattr(r, f) for f in ReportOut.model_fields if hasattr(r, f)},
        "json_sha256": r.json_file.sha256,
        "pdf_sha256": r.pdf_file.sha256,
        "compared_with": r.compared_with.number if r.compared_with else None,
    }


@router.get("/reports", response=list[ReportOut])
def list_reports(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [_out(r) for r in access.visible_reports(request.user).order_by("-stored_at", "-pk")]


@router.get("/reports/{pk}", response=ReportDetailOut)
def get_report(request: AuthenticatedHttpRequest, pk: int) -> dict[str, Any]:
    report = access.get_report_for_user(request.user, pk)
    body = body_of(report)
    return {**_out(report), **{k: body[k] for k in ("deviations", "delta", "upgrades")}}
