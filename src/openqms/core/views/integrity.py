"""The integrity page: the scheduled checks' results, and how to check from outside."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openqms.core import access, checkpoints, integrity
from openqms.core.errors import DomainError
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent, Checkpoint
from openqms.core.registry import AUDIT_READ

# How late the scheduled check may be before the page warns: its interval (an hour when
# it runs at every tick) plus this margin, since `tick` itself runs on a timer.
STALE_MARGIN = dt.timedelta(hours=1)
_ISO = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)")


def plain_times(text: str) -> str:
    """ISO timestamps in a finding ("2026-11-29T15:26:18.239684+00:00") as the site
    writes times: "2026-11-29 15:26 UTC"."""

    def utc(match: re.Match[str]) -> str:
        try:
            when = dt.datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    return _ISO.sub(utc, text)


def _is_record_finding(finding: dict[str, str]) -> bool:
    """A module's reconciliation finding ("documents: approvals") about one record; the
    chain, signatures, files and database checks (and a check that could not run) are
    findings about the system, read as sentences."""
    return ": " in finding.get("check", "") and finding.get("record") != "the check itself"


def _system_finding(finding: dict[str, str]) -> dict[str, str]:
    chain = finding.get("check") == integrity.CHAIN
    return {
        "check": finding.get("check", ""),
        "sentence": plain_times(finding.get("row_says", "")),
        "record": "" if chain else plain_times(finding.get("record", "")),
        "expected": "" if chain else plain_times(finding.get("trail_says", "")),
    }


def _result(event: AuditEvent) -> dict[str, Any]:
    said = json.loads(event.changes)
    findings = said.get("findings", [])
    sections = said.get("sections", [])
    return {
        "event": event,
        "ok": said.get("ok", False),
        "sections": sections,
        "findings": findings,
        "system": [_system_finding(f) for f in findings if not _is_record_finding(f)],
        "records": [
            {
                **f,
                "trail_says": plain_times(f.get("trail_says", "")),
                "row_says": plain_times(f.get("row_says", "")),
            }
            for f in findings
            if _is_record_finding(f)
        ],
        "chain_failed": any(s.get("name") == integrity.CHAIN and not s.get("ok") for s in sections),
        "total": said.get("findings_total", len(findings)),
    }


def _public_key() -> str:
    try:
        return checkpoints.public_key_text()
    except DomainError:  # no audit key yet: the page says how to make one
        return ""


def due_within() -> dt.timedelta:
    """How old the last scheduled result may be before the page says the check stopped."""
    return dt.timedelta(hours=settings.INTEGRITY_HOURS or 1) + STALE_MARGIN


def integrity_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_or_404(request.user, AUDIT_READ)
    results = [_result(event) for event in integrity.last_results(10)]
    latest = results[0] if results else None
    stale = latest is None or timezone.now() - latest["event"].at > due_within()
    return render(
        request,
        "core/integrity.html",
        {
            "latest": latest,
            "earlier": results[1:],
            "stale": stale,
            "hours": settings.INTEGRITY_HOURS,
            "kept": integrity.KEPT_FINDINGS,
            "public_key": _public_key(),
            "checkpoints": list(Checkpoint.objects.order_by("-id")[:5]),
        },
    )
