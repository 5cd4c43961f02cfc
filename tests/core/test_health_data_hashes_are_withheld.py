"""An event whose health data is hidden from the viewer carries no hash: the hash covers
the hidden values and every other input is shown, so it would let a viewer test guesses
offline. Holders, and events with nothing hidden, keep their hashes."""

import csv
import io
import json

from openqms.core.models import AuditEvent
from tests.core.health_data import specimen_with_patient, text_of

FILTER = {"action": "testapp.specimen.edited"}
WITHHELD = {"prev_hash": "withheld", "hash": "withheld"}


def _stored(seq):
    event = AuditEvent.objects.get(seq=seq)
    return {"prev_hash": event.prev_hash, "hash": event.hash}


def _hashes(item):
    return {"prev_hash": item["prev_hash"], "hash": item["hash"]}


def test_without_the_grant_the_api_and_exports_withhold_the_hashes(signed_in, cast):
    specimen_with_patient(cast)
    client = signed_in(cast.auditor)
    [item] = client.get("/api/v1/audit/events", FILTER).json()["items"]
    assert _hashes(item) == WITHHELD
    [record] = json.loads(text_of(client.get("/audit/export.json", FILTER)))
    assert _hashes(record) == WITHHELD
    [row] = csv.DictReader(io.StringIO(text_of(client.get("/audit/export.csv", FILTER))))
    assert _hashes(row) == WITHHELD
    # An event with nothing hidden keeps its hashes.
    [other] = client.get("/api/v1/audit/events", {"action": "core.user.created"}).json()["items"][
        :1
    ]
    assert _hashes(other) == _stored(other["seq"])


def test_a_holder_gets_the_hashes(signed_in, cast):
    specimen_with_patient(cast)
    client = signed_in(cast.qa_lead)
    [item] = client.get("/api/v1/audit/events", FILTER).json()["items"]
    assert _hashes(item) == _stored(item["seq"])
    [record] = json.loads(text_of(client.get("/audit/export.json", FILTER)))
    assert _hashes(record) == _stored(item["seq"])
