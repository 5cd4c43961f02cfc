"""The audit trail names supplier records as people say them and links to them, and a
supplier's name finds its records."""

import pytest

from .conftest import approve


def _rows(signed_in, viewer, **query):
    page = signed_in(viewer).get("/audit/", query)
    return {(r.record.label, r.record.url) for r in page.context["rows"]}


@pytest.mark.verifies("SUP-023")
def test_the_decision_and_the_status_it_set_are_named_and_linked(signed_in, cast, supplier):
    decision = approve(cast, supplier)
    evaluation = decision.evaluation
    rows = _rows(signed_in, cast.auditor, action="suppliers.evaluation.decided")
    assert rows == {(str(evaluation), f"/suppliers/evaluations/{evaluation.pk}/")}
    rows = _rows(signed_in, cast.auditor, action="suppliers.supplier.status_set")
    assert rows == {(f"Supplier {supplier.name}", f"/suppliers/{supplier.pk}/")}


@pytest.mark.verifies("SUP-023")
def test_a_supplier_s_name_finds_its_records(signed_in, cast, supplier):
    approve(cast, supplier)
    labels = {label for label, _ in _rows(signed_in, cast.auditor, record="Kestrel")}
    assert f"Supplier {supplier.name}" in labels
    assert any(label.startswith("Evaluation of Kestrel") for label in labels)
