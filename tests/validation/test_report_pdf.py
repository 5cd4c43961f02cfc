"""The report's PDF: what a reader's PDF tool finds in it."""

import pytest

from openqms.validation import delta, pdf, verdicts
from tests.documents.pdf_text import flat, pages, text

from .oq_runs import DECLARED, ENVIRONMENT, FINISHED, STARTED, failing_run, iq_checks, passing_run


def body_of(oq, checks=None):
    return verdicts.build(
        environment=ENVIRONMENT,
        started_at=STARTED,
        finished_at=FINISHED,
        checks=checks or iq_checks(),
        oq=oq,
        declared=DECLARED,
        delta=None,
        upgrades=[
            {
                "seq": 7,
                "at": STARTED,
                "action": "core.system.upgraded",
                "from": "0.9.0",
                "to": "1.0.0",
            }
        ],
    )


@pytest.mark.verifies("VAL-026")
def test_the_pdf_shows_every_part_of_the_report(db):
    body = body_of(failing_run(), iq_checks(passed=False))
    body["delta"] = delta.compare(body_of(passing_run()), body, against="VR-2026-0001")

    made = pdf.render(body)

    words = flat(text(made))
    assert made.startswith(b"%PDF")
    for expected in [
        "OpenQMS validation report (IQ and OQ, ISO 13485 4.1.6)",
        "Validation FAILED: IQ FAILED, OQ FAILED, 0 of 3 requirements verified.",
        "Installation qualification (IQ): FAILED",
        "FAIL: trigger core_auditevent_no_update is missing",
        "Operational qualification (OQ): FAILED",
        "a copy in /tmp/oq-1",
        '{"document_types": 3}',
        "Deviations (6)",
        "Test failed tests/a.py::test_refuses boom",
        "Requirements: alpha",
        "Requirements: beta",
        "Trace matrix: alpha",
        "BET-001 (no test ran) not run",
        "Changes since the last approved report",
        "Compared with VR-2026-0001",
        "tests/b.py::test_counts",
        "tests/a.py::test_refuses: passed → failed",
        "ALP-001: verified → failed",
        "#7",
        "0.9.0 1.0.0 core.system.upgraded",
    ]:
        assert expected in words, expected
    assert "Page 1 of" in pages(made)[0]
