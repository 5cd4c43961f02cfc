"""A risk management report signed for one revision of the file is open again once the
file changes, and the page says which revision was signed."""

import pytest
from django.urls import reverse

from openqms.core.integrity import check_signatures
from openqms.design.actions import risk
from openqms.design.models import ReportState, RiskFile
from openqms.testing import changes_of, last_event
from tests.design.conftest import SIGN
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401


def signed(cast, file):
    evaluated(cast, situation(cast, file))
    risk.edit_risk_file(actor=cast.author, file=file, overall_residual_risk="Acceptable.")
    risk.sign_report(
        actor=cast.qa_lead,
        file=file,
        credentials=SIGN,
        conclusion="All reduced.",
        residual_acceptable="yes",
        plan_followed="yes",
    )
    return RiskFile.objects.get(pk=file.pk)


@pytest.mark.verifies("DES-035")
def test_adding_a_hazard_after_signing_opens_the_report_again(cast, risk_file):  # noqa: F811
    file = signed(cast, risk_file)
    assert (file.state, file.report_signed_revision) == (ReportState.SIGNED, file.revision)
    risk.add_hazard(actor=cast.author, file=file, title="Electrode detaches")
    event = last_event()
    assert event.action == "design.hazard.added"
    assert changes_of(event)["report"] == ["signed", "open"]
    after = RiskFile.objects.get(pk=file.pk)
    assert after.state == ReportState.OPEN and after.revision == file.revision + 1
    assert list(check_signatures()) == []


@pytest.mark.verifies("DES-035")
def test_changing_a_matrix_cell_after_signing_opens_the_report_again(cast, risk_file):  # noqa: F811
    file = signed(cast, risk_file)
    risk.set_matrix_cell(actor=cast.qa_lead, file=file, severity=1, probability=1, region="alarp")
    assert changes_of(last_event())["report"] == ["signed", "open"]
    assert RiskFile.objects.get(pk=file.pk).state == ReportState.OPEN


@pytest.mark.verifies("DES-035")
def test_the_page_says_which_revision_was_signed_and_to_sign_again(
    cast,
    signed_in,
    risk_file,  # noqa: F811
):
    file = signed(cast, risk_file)
    risk.edit_risk_file(actor=cast.author, file=file, overall_residual_risk="Still acceptable.")
    assert changes_of(last_event())["report"] == ["signed", "open"]
    page = signed_in(cast.auditor).get(reverse("design:risk-file", args=[file.pk]))
    text = page.content.decode()
    assert f"signed for revision {file.revision} of the file" in text
    assert "must be signed again" in text


def test_the_earlier_signature_reads_as_of_an_earlier_version_not_as_broken(cast, risk_file):  # noqa: F811
    from openqms.core.pdf import signature_status
    from openqms.core.signatures import manifestations

    file = signed(cast, risk_file)
    risk.add_hazard(actor=cast.author, file=file, title="Electrode detaches")
    after = RiskFile.objects.get(pk=file.pk)
    [signature] = manifestations(after, all_versions=True)
    assert (signature.valid, signature.broken) == (False, "")
    assert signature.earlier == (
        f"it signs version {file.revision}; the record has changed since (now version "
        f"{after.revision})"
    )
    assert signature_status(signature).startswith("earlier version — it signs version")
