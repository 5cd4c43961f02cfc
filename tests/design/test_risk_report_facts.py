"""The risk management report's signing dialog shows what the signer signs over — the plan
and its revision in force, the overall residual risk, situations by region before and
after controls, what is still open — stores it with the signature, and refuses signing
while a situation is unevaluated or a risk review is open."""

import pytest
from django.urls import reverse

from openqms.core.errors import TransitionNotAllowed
from openqms.core.integrity import check_signatures
from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.design.actions import risk
from openqms.design.models import ReportState, RiskFile
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401
from tests.events.complaints_setup import open_complaint
from tests.events.conftest import effective_document

pytestmark = pytest.mark.verifies("DES-050")

REPORT = {"conclusion": "All reduced.", "residual_acceptable": "yes", "plan_followed": "yes"}


def ready(cast, file):
    """One evaluated situation (S3 P2 → S2 P1, acceptable), a control with no
    verification, the plan chosen and the overall residual risk stated."""
    found = situation(cast, file)
    risk.add_control(actor=cast.author, situation=found, kind="inherent", description="Gate.")
    evaluated(cast, found)
    plan = effective_document(cast, "Risk management plan")
    risk.edit_risk_file(
        actor=cast.author, file=file, plan=plan.number, overall_residual_risk="Acceptable."
    )
    return plan


def test_the_facts_are_the_plan_in_force_the_regions_and_what_is_open(cast, risk_file):  # noqa: F811
    plan = ready(cast, risk_file)
    situation(cast, risk_file, 5, 5)
    facts = RiskFile.objects.get().signature_content()["facts"]
    assert facts == {
        "plan": f"{plan.number} revision A",
        "situations_before": {"acceptable": 1, "alarp": 0, "unacceptable": 1},
        "situations_after": {
            "acceptable": 1,
            "alarp": 0,
            "unacceptable": 0,
            "not estimated": 1,
        },
        "unevaluated": 1,
        "open_reviews": 0,
        "controls_without_verification": 1,
    }


def test_the_dialog_shows_what_the_signer_signs_over(cast, signed_in, risk_file):  # noqa: F811
    plan = ready(cast, risk_file)
    page = signed_in(cast.qa_lead).get(reverse("design:risk-file", args=[risk_file.pk]))
    body = page.content.decode()
    assert "What you sign over" in body
    assert f"{plan.number} revision A" in body
    assert "<dt>Hazardous situations before controls</dt><dd>1 acceptable</dd>" in body
    assert "<dt>Controls without verification</dt><dd>1</dd>" in body
    shown = content_hash(RiskFile.objects.get().signature_content())
    assert f'name="content_hash" value="{shown}"' in body


def test_signing_stores_the_facts_with_the_signature(cast, risk_file):  # noqa: F811
    ready(cast, risk_file)
    facts = RiskFile.objects.get().signature_content()["facts"]
    risk.sign_report(actor=cast.qa_lead, file=risk_file, credentials=SIGN, **REPORT)
    file = RiskFile.objects.get()
    assert (file.state, file.report_facts_signed) == (ReportState.SIGNED, facts)
    event = last_event()
    assert event.action == "design.risk_report.signed"
    assert changes_of(event)["facts"] == [None, facts]
    signature = Signature.objects.get(meaning="risk_report_signed")
    assert signature.content_hash == content_hash(file.signature_content())
    # A review opened after signing changes the live facts, not what was signed.
    open_complaint(cast, file.device)
    assert RiskFile.objects.get().signature_content()["facts"] == facts
    assert list(check_signatures()) == []


@pytest.mark.verifies("DES-050", refusal=True)
def test_an_open_risk_review_refuses_signing_and_writes_nothing(cast, risk_file):  # noqa: F811
    ready(cast, risk_file)
    open_complaint(cast, risk_file.device)
    before = (event_count(), Signature.objects.count())
    with pytest.raises(TransitionNotAllowed, match=r"Close the open risk reviews first \(1 open\)"):
        risk.sign_report(actor=cast.qa_lead, file=risk_file, credentials=SIGN, **REPORT)
    file = RiskFile.objects.get()
    assert (file.state, file.report_facts_signed) == (ReportState.OPEN, {})
    assert (event_count(), Signature.objects.count()) == before


def test_the_page_says_why_it_cannot_be_signed_while_a_situation_is_unevaluated(
    cast,
    signed_in,
    risk_file,  # noqa: F811
):
    ready(cast, risk_file)
    situation(cast, risk_file)
    page = signed_in(cast.qa_lead).get(reverse("design:risk-file", args=[risk_file.pk]))
    body = page.content.decode()
    assert "Not ready to sign: Evaluate the residual risk of every hazardous situation" in body
    assert "What you sign over" not in body


def test_a_report_signed_before_facts_were_signed_still_verifies(cast, risk_file):  # noqa: F811
    """Design 0012 added the facts to what the signer signs over; a report signed before
    it (no stored facts) is checked against the content it was signed over."""

    file = RiskFile.objects.get(pk=risk_file.pk)
    file.state = ReportState.SIGNED
    file.report_facts_signed = {}
    content = file.signature_content()
    assert "facts" not in content
    file.report_facts_signed = {"plan": None}
    assert file.signature_content()["facts"] == {"plan": None}
    file.state = ReportState.OPEN
    assert content_hash(file.signature_content()) != content_hash(content)
