"""The demo's risk file: RhythmCheck's fifteen hazardous situations, most acceptable after
their controls, one reduced as far as possible with its benefit-risk analysis, the report
signed, and one open risk review from the serious-incident complaint. Run twice, made once."""

import pytest

from openqms.core.demo import seed_demo
from openqms.design.demo import risk as story
from openqms.design.models import Gap, HazardousSituation, RiskFile, RiskReview


@pytest.mark.verifies("DES-043")
def test_the_demo_tells_the_risk_story_once(db, settings):
    seed_demo()
    story.run()
    file = RiskFile.objects.get(device__name="RhythmCheck")
    situations = HazardousSituation.objects.filter(file=file)
    assert situations.count() == 15
    assert situations.filter(evaluated_at__isnull=True).count() == 0
    alarp = situations.exclude(residual_region="acceptable")
    assert [(s.code, bool(s.benefit_risk)) for s in alarp] == [("HS-001", True)]
    assert file.state == "signed"
    # Every control is implemented by a requirement and verified by a test (the story's
    # own, or one written for the control).
    assert not Gap.objects.filter(rule="control_without_verification").exists()
    # The RISK items read as the situation, with the harm as a field (not "Harm: X — X").
    first = situations.select_related("item").get(number=1).item
    assert first.title == "The clinician reads a report with no AF flagged."
    assert first.attributes["harm"] == "Delayed anticoagulation; stroke"
    assert first.text.startswith("Sequence of events: A short paroxysmal AF episode")
    review = RiskReview.objects.get(file=file)
    assert review.closed_at is None and review.source_label.endswith(
        "Missed atrial fibrillation episode, patient admitted"
    )
