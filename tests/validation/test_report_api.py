"""Validation reports over the API: read only, for their readers only."""

import pytest

from .oq_runs import failing_run, store


@pytest.mark.verifies("VAL-032")
def test_a_reader_lists_and_reads_reports_with_their_deviations(cast, signed_in):
    report = store(failing_run())
    client = signed_in(cast.auditor)

    listed = client.get("/api/v1/validation/reports").json()
    one = client.get(f"/api/v1/validation/reports/{report.pk}").json()

    assert [(r["number"], r["state"], r["passed"]) for r in listed] == [
        (report.number, "awaiting_approval", False)
    ]
    assert (one["pdf_sha256"], one["compared_with"], one["delta"]) == (
        report.pdf_file.sha256,
        None,
        None,
    )
    assert {"kind": "Test failed", "subject": "tests/a.py::test_refuses", "detail": "boom"} in (
        one["deviations"]
    )


@pytest.mark.verifies("VAL-032", refusal=True)
def test_someone_without_the_right_meets_not_found(cast, signed_in):
    report = store()
    client = signed_in(cast.author)

    assert client.get("/api/v1/validation/reports").status_code == 404
    assert client.get(f"/api/v1/validation/reports/{report.pk}").status_code == 404
