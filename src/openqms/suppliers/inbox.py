"""What supplier control puts in My tasks: for those who keep the register,
re-evaluations due or overdue, new suppliers to evaluate and certificates expiring; for
those who sign decisions, evaluations awaiting their signature (not their own)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.suppliers import due
from openqms.suppliers.models import Evaluation, EvaluationState, Status, Supplier
from openqms.suppliers.registry import APPROVE, DECIDED, MANAGE


def supplier_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    today = timezone.localdate()
    if has_permission(user, MANAGE):
        for s in due.reevaluations_due(today):
            word = "overdue" if s.next_evaluation < today else "due"  # type: ignore[operator]
            tasks.append(
                Task(
                    "Supplier re-evaluations",
                    f"Re-evaluate {s.name} ({word} {s.next_evaluation:%d %b %Y})",
                    reverse("suppliers:detail", args=[s.pk]),
                    due=s.next_evaluation,
                )
            )
        waiting = Supplier.objects.filter(status=Status.NEW, retired_at__isnull=True).exclude(
            evaluations__state=EvaluationState.AWAITING
        )
        for s in waiting:
            tasks.append(
                Task(
                    "Supplier re-evaluations",
                    f"Evaluate new supplier {s.name}",
                    reverse("suppliers:detail", args=[s.pk]),
                )
            )
        for c in due.certificates_expiring(today):
            word = "expired" if c.expires_on < today else "expires"
            tasks.append(
                Task(
                    "Supplier certificates",
                    f"{c}: {word} {c.expires_on:%d %b %Y}",
                    reverse("suppliers:detail", args=[c.supplier_id]),
                    due=c.expires_on,
                )
            )
    if has_permission(user, APPROVE):
        awaiting = (
            Evaluation.objects.filter(state=EvaluationState.AWAITING, supplier__retired_at=None)
            .exclude(evaluator=user)
            .select_related("supplier")
        )
        for e in awaiting:
            tasks.append(
                Task(
                    "Supplier decisions to sign",
                    f"Sign the decision on the evaluation of {e.supplier.name}",
                    reverse("suppliers:evaluation", args=[e.pk]),
                    signs=e,
                    meaning=DECIDED,
                )
            )
    return tasks
