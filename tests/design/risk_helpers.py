"""Helpers of the risk tests: a device with a design project and a risk file, hazards
and situations taken to where a test needs them."""

import pytest

from openqms.design.actions import items as design
from openqms.design.actions import risk
from tests.events.conftest import make_device


@pytest.fixture
def device(cast):
    from openqms.qms.actions.families import create_family

    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    return make_device(cast, family)


@pytest.fixture
def risk_file(cast, device):
    design.create_project(actor=cast.author, name="RhythmCheck", device=device)
    return risk.create_risk_file(actor=cast.author, device=device)


def situation(cast, file, severity=3, probability=None, *, hazard=None, **split):
    hazard = hazard or risk.add_hazard(actor=cast.author, file=file, title="Missed AF")
    if probability is None and not split:
        probability = 2
    return risk.add_situation(
        actor=cast.author,
        hazard=hazard,
        sequence="The algorithm misses an AF episode in a noisy recording.",
        situation="The clinician reads a normal report.",
        harm="Delayed anticoagulation; stroke",
        severity=severity,
        probability=probability,
        **split,
    )


def evaluated(cast, found, severity=2, probability=1, benefit_risk=""):
    found = risk.estimate_residual(
        actor=cast.author, situation=found, severity=severity, probability=probability
    )
    return risk.evaluate_situation(actor=cast.author, situation=found, benefit_risk=benefit_risk)
