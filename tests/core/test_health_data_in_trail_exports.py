"""The trail's exports (the page's CSV and JSON, `openqms audit export`) hide health data
from an exporter without the grant; a holder's export holds the values, says so (first
line of the CSV, a mark on each JSON event, the file's name), and records one read per
record it holds."""

import csv
import io
import json

from django.core.management import call_command

from openqms.testing import changes_of, event_count
from tests.core.health_data import HIDDEN, PATIENT, reads, specimen_with_patient, text_of

MARK = "Contains health data"
FILTER = {"action": "testapp.specimen.edited"}


def test_an_exporter_without_the_grant_gets_hidden_values_no_mark_no_event(signed_in, cast):
    specimen_with_patient(cast)
    before = event_count()
    client = signed_in(cast.auditor)
    for fmt in ("csv", "json"):
        response = client.get(f"/audit/export.{fmt}", FILTER)
        text = text_of(response)
        assert PATIENT not in text and HIDDEN in text
        assert MARK not in text and "health-data" not in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text_of(client.get("/audit/export.csv", FILTER)))))
    assert json.loads(rows[0]["changes"])["patient_details"] == [HIDDEN, HIDDEN]
    assert event_count() == before


def test_a_holders_csv_is_marked_on_its_first_line_and_the_read_recorded(signed_in, cast):
    specimen = specimen_with_patient(cast)
    before = event_count()
    response = signed_in(cast.qa_lead).get("/audit/export.csv", FILTER)
    lines = text_of(response).splitlines()
    assert lines[0].startswith(MARK)
    assert lines[1].startswith("seq,at,actor_id")
    assert PATIENT in lines[2]
    assert "health-data" in response["Content-Disposition"]
    assert response["X-OpenQMS-Confidentiality"] == MARK
    assert event_count() == before + 1
    (read,) = reads()
    assert (read.actor_id, read.object_id) == (cast.qa_lead.pk, str(specimen.pk))
    assert changes_of(read) == {"fields": ["patient_details"]}


def test_a_holders_json_marks_each_event_holding_health_data(signed_in, cast):
    specimen_with_patient(cast)
    response = signed_in(cast.qa_lead).get("/audit/export.json", FILTER)
    (record,) = json.loads(text_of(response))
    assert record["changes"]["patient_details"] == [None, PATIENT]
    assert record["health_data"] == f"{MARK}: patient_details"
    assert len(reads()) == 1


def _command(*args):
    out = io.StringIO()
    call_command("audit", "export", *args, stdout=out)
    return out.getvalue()


def test_the_command_line_hides_health_data_unless_asked(cast):
    specimen_with_patient(cast)
    before = event_count()
    text = _command("--format", "csv", "--action", "testapp.specimen.edited")
    assert PATIENT not in text and HIDDEN in text and MARK not in text
    assert json.loads(_command("--format", "json"))  # still a whole, valid trail
    assert event_count() == before


def test_the_command_line_asked_for_health_data_marks_and_records_it(cast):
    specimen = specimen_with_patient(cast)
    text = _command("--format", "csv", "--health-data", "--action", "testapp.specimen.edited")
    assert text.splitlines()[0].startswith(MARK) and PATIENT in text
    (read,) = reads()
    assert (read.actor_id, read.object_id) == (None, str(specimen.pk))
    assert read.actor_name.startswith("system (openqms audit")
