import datetime as dt

import pytest

from openqms.suppliers import actions
from openqms.suppliers.inbox import supplier_tasks

from .conftest import approve, evaluate, today


def _titles(user):
    return sorted(t.title for t in supplier_tasks(user))


@pytest.mark.verifies("SUP-021")
def test_a_new_supplier_asks_the_qa_lead_for_an_evaluation(cast, supplier):
    assert _titles(cast.qa_lead) == ["Evaluate new supplier Kestrel Embedded Engineering Ltd"]
    assert _titles(cast.author) == []


@pytest.mark.verifies("SUP-021")
def test_an_evaluation_awaiting_a_decision_is_a_task_for_signers_but_not_the_evaluator(
    cast, supplier
):
    evaluation = evaluate(cast, supplier)
    [task] = supplier_tasks(cast.manager)
    assert (task.title, task.url, task.meaning) == (
        "Sign the decision on the evaluation of Kestrel Embedded Engineering Ltd",
        f"/suppliers/evaluations/{evaluation.pk}/",
        "supplier_decision",
    )
    assert _titles(cast.qa_lead) == []


@pytest.mark.verifies("SUP-021")
def test_overdue_re_evaluations_and_expiring_certificates_are_tasks(cast, supplier):
    approve(cast, supplier)
    actions.reschedule_evaluation(
        actor=cast.qa_lead,
        supplier=supplier,
        next_evaluation=today() - dt.timedelta(days=1),
        reason="Audit finding",
    )
    actions.add_certificate(
        actor=cast.qa_lead,
        supplier=supplier,
        kind="iso13485",
        number="MD 1",
        issuer="BSI",
        expires_on=today() - dt.timedelta(days=3),
    )
    titles = _titles(cast.qa_lead)
    assert titles[0].startswith("ISO 13485 certificate MD 1 of Kestrel") and "expired" in titles[0]
    assert titles[1].startswith("Re-evaluate Kestrel Embedded Engineering Ltd (overdue")
