import pytest

from openqms.core.dates import months_later
from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.signatures import Credentials, manifestations
from openqms.suppliers import actions
from openqms.suppliers.models import Decision, Supplier
from openqms.testing import changes_of, event_count, events_since

from .conftest import SIGN, approve, evaluate, today


@pytest.mark.verifies("SUP-010", "SUP-011")
def test_the_decision_is_signed_and_sets_status_and_next_date_from_the_criticality(cast, supplier):
    evaluation = evaluate(cast, supplier)
    before = event_count()
    decision = actions.decide_evaluation(
        actor=cast.manager,
        evaluation=evaluation,
        decision="approved",
        credentials=SIGN,
        comment="Seen the audit report",
    )
    due = months_later(today(), 12)  # critical: every 12 months
    signed, decided, status = events_since(before)
    assert (signed.action, changes_of(signed)["meaning"]) == (
        "core.signature.signed",
        "supplier_decision",
    )
    assert (decided.action, decided.object_id, decided.reason) == (
        "suppliers.evaluation.decided",
        str(evaluation.pk),
        "Seen the audit report",
    )
    assert changes_of(decided) == {
        "state": ["awaiting", "decided"],
        "step": "decide",
        "decision": [None, "approved"],
        "conditions": [None, ""],
        "reason": [None, ""],
        "next_evaluation": [None, due.isoformat()],
    }
    assert (status.action, changes_of(status)) == (
        "suppliers.supplier.status_set",
        {
            "status": ["new", "approved"],
            "decided_on": [None, today().isoformat()],
            "next_evaluation": [None, due.isoformat()],
            "evaluation": [None, str(evaluation)],
        },
    )
    supplier.refresh_from_db()
    assert (supplier.status, supplier.next_evaluation) == ("approved", due)
    [shown] = manifestations(decision)
    assert (shown.printed_name, shown.meaning, shown.valid, shown.object_version) == (
        "Mia Manager",
        "supplier_decision",
        True,
        "1",  # a decision has one version, not the evaluation's database id
    )


@pytest.mark.verifies("SUP-011")
def test_a_conditional_approval_keeps_its_conditions_on_the_supplier(cast, supplier):
    approve(cast, supplier, "conditional", conditions="Monthly delivery reports")
    supplier.refresh_from_db()
    assert (supplier.status, supplier.conditions) == ("conditional", "Monthly delivery reports")


@pytest.mark.verifies("SUP-011")
@pytest.mark.parametrize(("criticality", "months"), [("critical", 6), ("major", 12), ("minor", 12)])
def test_a_conditional_approval_brings_the_re_evaluation_forward(
    cast, supplier, criticality, months
):
    """Half the criticality's interval (12, 24, 36 months), at most 12 months."""
    supplier = actions.edit_supplier(actor=cast.qa_lead, supplier=supplier, criticality=criticality)
    decision = approve(cast, supplier, "conditional", conditions="Send the UKAS scope schedule")
    due = months_later(today(), months)
    supplier.refresh_from_db()
    assert (decision.next_evaluation, supplier.next_evaluation) == (due, due)
    event = events_since(0)[-1]
    assert event.action == "suppliers.supplier.status_set"
    assert changes_of(event)["next_evaluation"] == [None, due.isoformat()]


@pytest.mark.verifies("SUP-011")
def test_a_disqualified_supplier_has_no_re_evaluation_date(cast, supplier):
    approve(cast, supplier, "disqualified", reason="Failed the audit")
    supplier.refresh_from_db()
    assert (supplier.status, supplier.next_evaluation) == ("disqualified", None)


@pytest.fixture
def awaiting(cast, supplier):
    return evaluate(cast, supplier)


def _nothing_changed(supplier, before):
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert (supplier.status, supplier.next_evaluation) == ("new", None)
    assert not Decision.objects.exists()
    assert event_count() == before


@pytest.mark.verifies("SUP-012")
@pytest.mark.parametrize(
    ("decision", "extra", "field"),
    [
        ("conditional", {}, "conditions"),
        ("disqualified", {}, "reason"),
        ("maybe", {}, "decision"),
    ],
)
def test_a_decision_without_what_it_needs_is_refused_before_the_password(
    cast, supplier, awaiting, decision, extra, field
):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.decide_evaluation(
            actor=cast.manager, evaluation=awaiting, decision=decision, credentials=SIGN, **extra
        )
    assert field in refused.value.fields
    _nothing_changed(supplier, before)


@pytest.mark.verifies("SUP-010", refusal=True)
def test_the_evaluator_cannot_sign_the_decision_on_their_own_evaluation(cast, supplier, awaiting):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="evaluator"):
        actions.decide_evaluation(
            actor=cast.qa_lead, evaluation=awaiting, decision="approved", credentials=SIGN
        )
    _nothing_changed(supplier, before)


@pytest.mark.verifies("SUP-010", refusal=True)
def test_someone_without_the_right_to_sign_decisions_cannot(cast, supplier, awaiting):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.decide_evaluation(
            actor=cast.auditor, evaluation=awaiting, decision="approved", credentials=SIGN
        )
    _nothing_changed(supplier, before)


@pytest.mark.verifies("SUP-010", refusal=True)
def test_a_wrong_password_signs_nothing(cast, supplier, awaiting):
    with pytest.raises(ReauthenticationFailed):
        actions.decide_evaluation(
            actor=cast.manager,
            evaluation=awaiting,
            decision="approved",
            credentials=Credentials("wrong"),
        )
    supplier.refresh_from_db()
    assert supplier.status == "new" and not Decision.objects.exists()


@pytest.mark.verifies("SUP-012")
def test_a_decided_evaluation_is_never_decided_again_a_new_evaluation_is_needed(cast, supplier):
    first = approve(cast, supplier).evaluation
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.decide_evaluation(
            actor=cast.manager,
            evaluation=first,
            decision="disqualified",
            reason="x",
            credentials=SIGN,
        )
    assert event_count() == before
    approve(cast, supplier, "disqualified", reason="Lost their certificate")
    supplier.refresh_from_db()
    assert supplier.status == "disqualified" and supplier.evaluations.count() == 2
