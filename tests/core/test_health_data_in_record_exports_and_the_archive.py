"""A record's human-readable export (the specimen's CSV) hides health data without the
grant and is marked when it holds it; the whole-instance archive, the company's own
backup, keeps every value."""

import json
import zipfile

from django.core.management import call_command

from openqms.testing import event_count
from tests.core.health_data import HIDDEN, PATIENT, reads, specimen_with_patient, text_of


def test_without_the_grant_the_export_hides_the_value_and_carries_no_mark(signed_in, cast):
    specimen = specimen_with_patient(cast)
    before = event_count()
    text = text_of(signed_in(cast.author).get(f"/specimens/{specimen.pk}/export.csv"))
    assert PATIENT not in text and HIDDEN in text
    assert text.splitlines()[0] == "title,state,body,patient_details"
    assert event_count() == before


def test_a_holders_export_is_marked_and_the_read_recorded(signed_in, cast):
    specimen = specimen_with_patient(cast)
    text = text_of(signed_in(cast.qa_lead).get(f"/specimens/{specimen.pk}/export.csv"))
    assert text.splitlines()[0].startswith("Contains health data")
    assert PATIENT in text
    assert len(reads()) == 1


def test_the_archive_keeps_the_values(cast, tmp_path):
    specimen_with_patient(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    with zipfile.ZipFile(archive) as zipped:
        lines = zipped.read("records/testapp.specimen.jsonl").decode().splitlines()
    assert [json.loads(line)["patient_details"] for line in lines] == [PATIENT]
    assert reads() == []  # a backup is not a person's read
