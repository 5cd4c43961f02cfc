"""Masking the trail reads the health-data fields from the module contract in memory: a
page's queries stay the same however many of its rows hold health data, for a viewer
without the grant and for a holder (whose reads are one event per record)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.testapp.actions import edit_specimen
from tests.core.health_data import specimen_with_patient


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get("/audit/", {"object_type": "testapp.specimen"}).status_code == 200
    return len(done)


def _edits(cast, specimen, count):
    for n in range(count):
        edit_specimen(actor=cast.author, specimen=specimen, body=f"b{n}", patient_details=f"p{n}")


def test_the_same_queries_for_five_and_fifteen_health_rows(signed_in, cast):
    specimen = specimen_with_patient(cast)
    _edits(cast, specimen, 4)
    auditor, holder = _queries(signed_in(cast.auditor)), _queries(signed_in(cast.qa_lead))
    _edits(cast, specimen, 10)
    assert _queries(signed_in(cast.auditor)) == auditor
    assert _queries(signed_in(cast.qa_lead)) == holder
