"""Residual risk evaluation and the signed risk management report (ISO 14971 7.4, 9)."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.design.actions import risk
from openqms.design.models import ReportState, RiskFile
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401

REPORT = {
    "conclusion": "All risks reduced; benefits outweigh.",
    "residual_acceptable": "yes",
    "plan_followed": "yes",
}


def sign(cast, file, actor=None):
    return risk.sign_report(actor=actor or cast.qa_lead, file=file, credentials=SIGN, **REPORT)


@pytest.mark.verifies("DES-035", refusal=True)
def test_a_residual_risk_not_acceptable_needs_a_benefit_risk_analysis(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file, 4, 4)
    found = risk.estimate_residual(actor=cast.author, situation=found, severity=4, probability=2)
    assert found.residual_region == "alarp"
    before = event_count()
    with pytest.raises(InvalidInput, match="give the benefit-risk analysis"):
        risk.evaluate_situation(actor=cast.author, situation=found, benefit_risk="")
    found.refresh_from_db()
    assert (found.evaluated_at, event_count()) == (None, before)
    risk.evaluate_situation(
        actor=cast.author, situation=found, benefit_risk="Early AF detection prevents strokes."
    )
    event = last_event()
    assert event.action == "design.risk_situation.evaluated"
    assert changes_of(event)["residual_region"] == [None, "alarp"]


@pytest.mark.verifies("DES-033", refusal=True)
def test_an_unestimated_situation_cannot_be_evaluated(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    with pytest.raises(TransitionNotAllowed, match="Estimate the residual risk"):
        risk.evaluate_situation(actor=cast.author, situation=found)


@pytest.mark.verifies("DES-035", refusal=True)
def test_the_report_is_refused_while_a_situation_is_unevaluated(cast, risk_file):  # noqa: F811
    evaluated(cast, situation(cast, risk_file))
    situation(cast, risk_file)
    risk.edit_risk_file(actor=cast.author, file=risk_file, overall_residual_risk="Acceptable.")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="HS-002"):
        sign(cast, risk_file)
    risk_file.refresh_from_db()
    assert (risk_file.state, event_count(), Signature.objects.count()) == (
        ReportState.OPEN,
        before,
        0,
    )


@pytest.mark.verifies("DES-035", refusal=True)
def test_the_report_needs_the_overall_residual_risk_stated(cast, risk_file):  # noqa: F811
    evaluated(cast, situation(cast, risk_file))
    with pytest.raises(TransitionNotAllowed, match="overall residual risk"):
        sign(cast, risk_file)


@pytest.mark.verifies("DES-035")
def test_the_qa_lead_signs_the_report_when_every_risk_is_evaluated(cast, risk_file):  # noqa: F811
    evaluated(cast, situation(cast, risk_file))
    risk.edit_risk_file(actor=cast.author, file=risk_file, overall_residual_risk="Acceptable.")
    sign(cast, risk_file)
    file = RiskFile.objects.get()
    assert (file.state, file.report_residual_acceptable, file.report_plan_followed) == (
        ReportState.SIGNED,
        True,
        True,
    )
    assert last_event().action == "design.risk_report.signed"
    assert Signature.objects.filter(meaning="risk_report_signed").count() == 1


@pytest.mark.verifies("DES-035", refusal=True)
def test_an_engineer_cannot_sign_the_report(cast, risk_file):  # noqa: F811
    evaluated(cast, situation(cast, risk_file))
    risk.edit_risk_file(actor=cast.author, file=risk_file, overall_residual_risk="Acceptable.")
    before = event_count()
    with pytest.raises(Exception):
        sign(cast, risk_file, actor=cast.author)
    assert (RiskFile.objects.get().state, event_count()) == (ReportState.OPEN, before)
