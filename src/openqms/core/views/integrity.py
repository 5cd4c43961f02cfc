"""The integrity page: the scheduled checks' results, and how to check from outside."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from openqms.core import access, checkpoints, integrity
from openqms.core.errors import DomainError
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent, Checkpoint
from openqms.core.registry import AUDIT_READ


def _result(event: AuditEvent) -> dict[str, Any]:
    said = json.loads(event.changes)
    findings = said.get("findings", [])
    return {
        "event": event,
        "ok": said.get("ok", False),
        "sections": said.get("sections", []),
        "findings": findings,
        "total": said.get("findings_total", len(findings)),
    }


def _public_key() -> str:
    try:
        return checkpoints.public_key_text()
    except DomainError:  # no audit key yet: the page says how to make one
        return ""


def integrity_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_or_404(request.user, AUDIT_READ)
    results = [_result(event) for event in integrity.last_results(10)]
    return render(
        request,
        "core/integrity.html",
        {
            "latest": results[0] if results else None,
            "earlier": results[1:],
            "hours": settings.INTEGRITY_HOURS,
            "kept": integrity.KEPT_FINDINGS,
            "public_key": _public_key(),
            "checkpoints": list(Checkpoint.objects.order_by("-id")[:5]),
        },
    )
