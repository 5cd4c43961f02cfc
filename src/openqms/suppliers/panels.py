"""The QMS dashboard's supplier panel: expiring or missing quality agreements, suppliers
due for re-evaluation, supplier certificates expiring (a few queries, lists capped)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from openqms.core.modules import Panel
from openqms.suppliers import due
from openqms.suppliers.models import is_reader

SHOWN = 10


def dashboard_panels(user: Any) -> list[Panel]:
    if not is_reader(user):
        return []
    today = timezone.localdate()
    agreements = [
        (o, due.agreement_problem(o, today)) for o in due.agreement_problems(today)[:SHOWN]
    ]
    context = {
        "today": today,
        "agreements": agreements,
        "agreements_count": due.agreement_problems(today).count(),
        "suppliers": list(due.reevaluations_due(today).order_by("next_evaluation")[:SHOWN]),
        "suppliers_count": due.reevaluations_due(today).count(),
        "certificates": list(due.certificates_expiring(today).order_by("expires_on")[:SHOWN]),
        "certificates_count": due.certificates_expiring(today).count(),
    }
    return [
        Panel(
            title="Suppliers and outsourced processes",
            template="suppliers/panel.html",
            context=context,
            url=reverse("suppliers:list") + "?due=1",
            order=40,
        )
    ]
