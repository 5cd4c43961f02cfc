import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.signatures import Credentials
from openqms.suppliers import actions
from openqms.suppliers.models import Criterion
from openqms.testing import PASSWORD

SIGN = Credentials(PASSWORD)
TODAY = dt.date.today


def supplier_fields(**overrides):
    fields = {
        "name": "Kestrel Embedded Engineering Ltd",
        "supplies": "Embedded firmware design",
        "category": "design",
        "criticality": "critical",
        "criticality_rationale": "Designs device firmware.",
        "address": "Leeds",
        "contact_name": "Priya Raman",
        "email": "quality@kestrel.example",
        "phone": "0113 000 0000",
    }
    return fields | overrides


def all_scores(score=4, comment=""):
    return {c.code: (score, comment) for c in Criterion.objects.filter(active=True)}


def evaluate(cast, supplier, recommendation="approved"):
    return actions.record_evaluation(
        actor=cast.qa_lead,
        supplier=supplier,
        scores=all_scores(),
        recommendation=recommendation,
        summary="Audited on site.",
    )


def approve(cast, supplier, decision="approved", **extra):
    """Evaluate (QA lead) and sign the decision (top management)."""
    evaluation = evaluate(cast, supplier, decision)
    return actions.decide_evaluation(
        actor=cast.manager, evaluation=evaluation, decision=decision, credentials=SIGN, **extra
    )


def today():
    return timezone.localdate()


@pytest.fixture
def supplier(cast):
    return actions.create_supplier(actor=cast.qa_lead, **supplier_fields())
