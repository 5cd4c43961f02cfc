"""Risk acceptability comes from the file's configured matrix; P1 × P2 combine into one
probability level by the stated rule."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.design import risk_matrix
from openqms.design.actions import risk
from openqms.design.models import HazardousSituation, MatrixCell, ProbabilityLevel, Region
from openqms.testing import changes_of, event_count, last_event
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401


@pytest.mark.verifies("DES-032")
def test_a_new_risk_file_has_the_default_five_by_five_criteria(risk_file):  # noqa: F811
    assert ProbabilityLevel.objects.filter(file=risk_file).count() == 5
    assert MatrixCell.objects.filter(file=risk_file).count() == 25
    assert risk_matrix.region(risk_file, 1, 1) == Region.ACCEPTABLE
    assert risk_matrix.region(risk_file, 3, 3) == Region.ALARP
    assert risk_matrix.region(risk_file, 5, 5) == Region.UNACCEPTABLE
    assert last_event().action == "design.risk_file.created"


@pytest.mark.verifies("DES-032")
def test_changing_a_cell_changes_the_region_and_re_evaluates_the_risks(cast, risk_file):  # noqa: F811
    found = evaluated(cast, situation(cast, risk_file, 3, 2), severity=2, probability=2)
    assert (found.region, found.residual_region) == (Region.ACCEPTABLE, Region.ACCEPTABLE)
    reopened = risk.set_matrix_cell(
        actor=cast.qa_lead, file=risk_file, severity=2, probability=2, region="alarp"
    )
    assert risk_matrix.region(risk_file, 2, 2) == Region.ALARP
    found.refresh_from_db()
    assert (found.residual_region, found.evaluated_at, reopened) == (Region.ALARP, None, ["HS-001"])
    event = last_event()
    assert event.action == "design.risk_matrix.changed"
    assert changes_of(event)["S2P2"] == ["acceptable", "alarp"]


@pytest.mark.verifies("DES-032", refusal=True)
def test_only_the_qa_lead_changes_the_matrix_and_a_refusal_writes_nothing(cast, risk_file):  # noqa: F811
    before = event_count()
    with pytest.raises(PermissionRefused):
        risk.set_matrix_cell(
            actor=cast.author, file=risk_file, severity=2, probability=2, region="alarp"
        )
    with pytest.raises(InvalidInput, match="no severity level 9"):
        risk.set_matrix_cell(
            actor=cast.qa_lead, file=risk_file, severity=9, probability=2, region="alarp"
        )
    assert risk_matrix.region(risk_file, 2, 2) == Region.ACCEPTABLE
    assert event_count() == before


@pytest.mark.verifies("DES-033")
def test_p1_and_p2_combine_into_the_lower_probability_rank(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file, 4, p1=4, p2=2)
    assert (found.p1, found.p2, found.probability) == (4, 2, 2)
    assert found.region == risk_matrix.region(risk_file, 4, 2) == Region.ALARP
    assert changes_of(last_event())["probability"] == [None, 2]


@pytest.mark.verifies("DES-033", refusal=True)
def test_a_probability_given_both_ways_is_refused_and_writes_nothing(cast, risk_file):  # noqa: F811
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    before = event_count()
    with pytest.raises(InvalidInput, match="either P1 and P2 or a single"):
        situation(cast, risk_file, 3, 2, hazard=hazard, p1=2, p2=2)
    with pytest.raises(InvalidInput, match="Level 7 is not on"):
        situation(cast, risk_file, 3, hazard=hazard, p1=7, p2=2)
    assert (HazardousSituation.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-032")
def test_renaming_a_level_is_audited(cast, risk_file):  # noqa: F811
    risk.set_level(actor=cast.qa_lead, file=risk_file, scale="severity", rank=1, name="Trivial")
    event = last_event()
    assert event.action == "design.risk_scale.changed"
    assert changes_of(event)["severity_1_name"] == ["Negligible", "Trivial"]
