"""`openqms verify`: a supplier's status is what its last signed decision set, an
evaluation's state what its last step recorded, and the decision's signature still
matches what was signed."""

import pytest

from openqms.core import integrity
from openqms.core.models import AuditEvent
from openqms.suppliers import actions
from openqms.suppliers.models import Evaluation, Supplier

from .conftest import approve, evaluate, supplier_fields


def _findings(prefix="suppliers"):
    report = integrity.run()
    return report, [
        (f.check, f.record, f.trail_says, f.row_says)
        for f in report.findings
        if f.check.startswith(prefix) or f.check == "signatures"
    ]


@pytest.mark.verifies("SUP-022")
def test_a_clean_register_has_no_finding_and_the_decision_signature_holds(cast, supplier):
    approve(cast, supplier)
    evaluate(cast, supplier)
    report, found = _findings()
    assert found == []
    sections = {s.name: s.checked for s in report.sections}
    assert sections["suppliers: supplier statuses"] == 1
    assert sections["suppliers: evaluation states"] == 2


@pytest.mark.verifies("SUP-022", refusal=True)
def test_a_status_set_in_the_database_is_found(cast, supplier):
    other = actions.create_supplier(actor=cast.qa_lead, **supplier_fields(name="Other Ltd"))
    approve(cast, supplier, "conditional", conditions="Reports")
    seq = AuditEvent.objects.get(action="suppliers.supplier.status_set").seq
    Supplier.objects.filter(pk=supplier.pk).update(status="approved")
    Supplier.objects.filter(pk=other.pk).update(status="approved")
    _, found = _findings()
    assert sorted(found) == [
        (
            "suppliers: supplier statuses",
            f"suppliers.supplier {supplier.pk}",
            f"conditional (event #{seq})",
            "approved",
        ),
        (
            "suppliers: supplier statuses",
            f"suppliers.supplier {other.pk}",
            "new (no decision signed)",
            "approved",
        ),
    ]


@pytest.mark.verifies("SUP-022", refusal=True)
def test_an_evaluation_marked_decided_in_the_database_is_found(cast, supplier):
    evaluation = evaluate(cast, supplier)
    Evaluation.objects.filter(pk=evaluation.pk).update(state="decided")
    _, found = _findings()
    assert found == [
        (
            "suppliers: evaluation states",
            f"suppliers.evaluation {evaluation.pk}",
            "awaiting (no step taken)",
            "decided",
        )
    ]
