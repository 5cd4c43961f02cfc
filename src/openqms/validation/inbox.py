"""My tasks: for QA leads, each validation report awaiting their approval."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.validation.models import ReportState, ValidationReport
from openqms.validation.registry import APPROVE


def reports_to_approve(user: User) -> list[Task]:
    if not has_permission(user, APPROVE):
        return []
    waiting = ValidationReport.objects.filter(state=ReportState.AWAITING).order_by("number")
    return [
        Task(
            "Validation reports to approve",
            f"{r.number}: OpenQMS {r.version}, {'passed' if r.passed else 'FAILED'}",
            reverse("validation:report", args=[r.pk]),
            signs=r,
            meaning="approved",
        )
        for r in waiting
    ]
