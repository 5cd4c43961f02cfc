"""What the audit trail calls supplier control's records, and where they are. Everyone
with a role reads the supplier register, so every such viewer may read what its events say."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import as_text, ids_of
from openqms.suppliers.models import (
    Criterion,
    Decision,
    Evaluation,
    OutsourcedProcess,
    PerformanceRecord,
    ReevaluationInterval,
    Supplier,
    SupplierCertificate,
    is_reader,
)

SUPPLIER, EVALUATION = "suppliers.supplier", "suppliers.evaluation"
DECISION, CERTIFICATE = "suppliers.decision", "suppliers.suppliercertificate"
PERFORMANCE, OUTSOURCED = "suppliers.performancerecord", "suppliers.outsourcedprocess"
INTERVAL, CRITERION = "suppliers.reevaluationinterval", "suppliers.criterion"


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    readable = is_reader(viewer)

    def url(name: str, pk: int) -> str:
        return reverse(name, args=[pk]) if readable else ""

    for s in Supplier.objects.filter(pk__in=ids_of(keys, SUPPLIER)):
        found[(SUPPLIER, str(s.pk))] = RecordRef(
            f"Supplier {s.name}", url("suppliers:detail", s.pk), readable
        )
    for e in Evaluation.objects.filter(pk__in=ids_of(keys, EVALUATION)).select_related("supplier"):
        found[(EVALUATION, str(e.pk))] = RecordRef(
            str(e), url("suppliers:evaluation", e.pk), readable
        )
    for d in Decision.objects.filter(pk__in=ids_of(keys, DECISION)).select_related(
        "evaluation__supplier"
    ):
        found[(DECISION, str(d.pk))] = RecordRef(
            str(d), url("suppliers:evaluation", d.evaluation_id), readable
        )
    for c in SupplierCertificate.objects.filter(pk__in=ids_of(keys, CERTIFICATE)).select_related(
        "supplier"
    ):
        found[(CERTIFICATE, str(c.pk))] = RecordRef(
            str(c), url("suppliers:detail", c.supplier_id), readable
        )
    for p in PerformanceRecord.objects.filter(pk__in=ids_of(keys, PERFORMANCE)).select_related(
        "supplier"
    ):
        found[(PERFORMANCE, str(p.pk))] = RecordRef(
            str(p), url("suppliers:detail", p.supplier_id), readable
        )
    for o in OutsourcedProcess.objects.filter(pk__in=ids_of(keys, OUTSOURCED)).select_related(
        "partner"
    ):
        found[(OUTSOURCED, str(o.pk))] = RecordRef(
            f"Outsourced process: {o}", url("suppliers:outsourced", o.pk), readable
        )
    for i in ReevaluationInterval.objects.filter(pk__in=ids_of(keys, INTERVAL)):
        found[(INTERVAL, str(i.pk))] = RecordRef(str(i), "", readable)
    for k in Criterion.objects.filter(pk__in=ids_of(keys, CRITERION)):
        found[(CRITERION, str(k.pk))] = RecordRef(f"Supplier criterion “{k.name}”", "", readable)
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """A supplier's name: the supplier, its evaluations and outsourced processes."""
    if not is_reader(viewer):
        return []
    named = Q(name__icontains=text)
    return [
        (SUPPLIER, as_text(Supplier.objects.filter(named))),
        (EVALUATION, as_text(Evaluation.objects.filter(supplier__name__icontains=text))),
        (
            OUTSOURCED,
            as_text(
                OutsourcedProcess.objects.filter(
                    Q(partner__name__icontains=text) | Q(title__icontains=text)
                )
            ),
        ),
    ]
