import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.suppliers import actions
from openqms.suppliers.errors import EvaluationOpen
from openqms.suppliers.models import Evaluation
from openqms.testing import changes_of, event_count, last_event

from .conftest import all_scores, evaluate


@pytest.mark.verifies("SUP-007")
def test_an_evaluation_scores_every_criterion_and_awaits_a_decision(cast, supplier):
    evaluation = evaluate(cast, supplier)
    event = last_event()
    assert (event.action, event.object_id) == ("suppliers.evaluation.recorded", str(evaluation.pk))
    changes = changes_of(event)
    assert changes["state"] == [None, "awaiting"]
    assert changes["recommendation"] == [None, "approved"]
    # Readable in the trail: names and scores, not raw JSON.
    assert changes["scores"][0] is None
    assert "Quality system and certificates 4/5" in changes["scores"][1]
    assert evaluation.scores.count() == 6


def _refused(cast, supplier, error, **kwargs):
    before = event_count()
    with pytest.raises(error) as refused:
        actions.record_evaluation(actor=cast.qa_lead, supplier=supplier, **kwargs)
    assert not Evaluation.objects.exists() and event_count() == before
    return refused.value


@pytest.mark.verifies("SUP-007")
def test_a_missing_score_names_the_criterion(cast, supplier):
    scores = all_scores()
    del scores["delivery"]
    error = _refused(cast, supplier, InvalidInput, scores=scores, recommendation="approved")
    assert "score_delivery" in error.fields


@pytest.mark.verifies("SUP-007")
def test_a_score_outside_1_to_5_is_refused(cast, supplier):
    scores = all_scores() | {"capability": (6, "")}
    error = _refused(cast, supplier, InvalidInput, scores=scores, recommendation="approved")
    assert "score_capability" in error.fields


@pytest.mark.verifies("SUP-007")
def test_an_unknown_recommendation_is_refused(cast, supplier):
    error = _refused(cast, supplier, InvalidInput, scores=all_scores(), recommendation="yes")
    assert "recommendation" in error.fields


@pytest.mark.verifies("SUP-003", refusal=True)
def test_only_those_who_keep_the_register_evaluate(cast, supplier):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.record_evaluation(
            actor=cast.manager, supplier=supplier, scores=all_scores(), recommendation="approved"
        )
    assert event_count() == before


@pytest.mark.verifies("SUP-009")
def test_one_evaluation_awaits_its_decision_at_a_time(cast, supplier):
    evaluate(cast, supplier)
    before = event_count()
    with pytest.raises(EvaluationOpen):
        evaluate(cast, supplier)
    assert Evaluation.objects.count() == 1 and event_count() == before


@pytest.mark.verifies("SUP-009")
def test_an_evaluation_is_withdrawn_with_a_reason_and_kept(cast, supplier):
    evaluation = evaluate(cast, supplier)
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.withdraw_evaluation(actor=cast.qa_lead, evaluation=evaluation, reason="")
    assert event_count() == before
    actions.withdraw_evaluation(actor=cast.qa_lead, evaluation=evaluation, reason="Wrong supplier")
    event = last_event()
    assert (event.action, changes_of(event)["state"], event.reason) == (
        "suppliers.evaluation.withdrawn",
        ["awaiting", "withdrawn"],
        "Wrong supplier",
    )
    with pytest.raises(TransitionNotAllowed):
        actions.withdraw_evaluation(actor=cast.qa_lead, evaluation=evaluation, reason="Again")


@pytest.mark.verifies("SUP-008")
@pytest.mark.parametrize(
    ("scores", "why"),
    [
        ({"capability": (1, "")}, "Capability scored 1"),
        (
            {
                "capability": (2, ""),
                "delivery": (2, ""),
                "quality_system": (2, ""),
                "quality_history": (2, ""),
            },
            "average score is 2.7",
        ),
    ],
)
def test_approving_against_the_scores_needs_a_justification(cast, supplier, scores, why):
    error = _refused(
        cast, supplier, InvalidInput, scores=all_scores() | scores, recommendation="approved"
    )
    assert why in error.message and "needs a justification" in error.message
    assert "summary" in error.fields


@pytest.mark.verifies("SUP-008")
def test_approving_against_the_scores_with_a_justification_keeps_it(cast, supplier):
    evaluation = actions.record_evaluation(
        actor=cast.qa_lead,
        supplier=supplier,
        scores=all_scores(score=1),
        recommendation="approved",
        summary="Sole source; audited again in 3 months.",
    )
    assert evaluation.summary == "Sole source; audited again in 3 months."
    changes = changes_of(last_event())
    assert changes["summary"] == [None, "Sole source; audited again in 3 months."]


@pytest.mark.verifies("SUP-008")
def test_low_scores_may_be_recommended_conditional_without_a_justification(cast, supplier):
    evaluation = actions.record_evaluation(
        actor=cast.qa_lead,
        supplier=supplier,
        scores=all_scores(score=1),
        recommendation="conditional",
    )
    assert evaluation.recommendation == "conditional"


@pytest.mark.verifies("SUP-007")
def test_the_evaluation_form_preselects_no_outcome_and_no_score(cast, signed_in, supplier):
    client = signed_in(cast.qa_lead)
    page = client.get(f"/suppliers/{supplier.pk}/evaluate/").content.decode()
    assert "selected" not in page.replace('value="" selected', "")
    before = event_count()
    data = {f"score_{code}": 4 for code in all_scores()}
    page = client.post(f"/suppliers/{supplier.pk}/evaluate/", data).content.decode()
    assert "This field is required" in page
    assert not Evaluation.objects.exists() and event_count() == before
