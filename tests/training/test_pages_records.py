"""Competence records through the pages (added with a file, downloaded, withdrawn) and the
signed evaluation of a person in a job role they hold."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openqms.testing import PASSWORD, changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import CompetenceRecord, Evaluation

from .test_pages_role_evaluation_shown import shown_hashes

CERTIFICATE = b"%PDF-1.4 certificate " + b"x" * 40
OBTAINED = dt.date(2024, 3, 1)


def _record_form(**overrides):
    data = {
        "kind": "certificate",
        "title": "ISO 13485 lead auditor",
        "issuer": "BSI",
        "obtained_on": OBTAINED.isoformat(),
        "expires_on": "2027-03-01",
        "notes": "Five-day course",
        "file": SimpleUploadedFile("Certificate.pdf", CERTIFICATE),
    }
    return data | overrides


@pytest.fixture
def record(cast):
    return actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="ISO 13485 lead auditor",
        obtained_on=OBTAINED,
        file_name="Certificate.pdf",
        file_content=SimpleUploadedFile("Certificate.pdf", CERTIFICATE),
    )


def _evaluation(job_role, **overrides):
    data = {
        "job_role": job_role.pk,
        "method": "Interview",
        "result": "effective",
        "comment": "Knows the design controls.",
        "password": PASSWORD,
    }
    return data | overrides


def test_records_keeper_adds_a_competence_record_with_its_file(signed_in, cast):
    client = signed_in(cast.qa_lead)
    assert "Add a competence record <small>Taylor Trainee</small>" in (
        client.get("/training/people/trainee/competence/new/").content.decode()
    )
    before = event_count()
    response = client.post("/training/people/trainee/competence/new/", _record_form())
    assert response.status_code == 302 and response["Location"] == "/training/people/trainee/"
    (record,) = CompetenceRecord.objects.all()
    assert (record.person, record.file_name, record.issuer) == (
        cast.trainee,
        "Certificate.pdf",
        "BSI",
    )
    (event,) = events_since(before)
    assert event.action == "training.competence.added"
    assert changes_of(event) == {
        "person": "trainee",
        "kind": "certificate",
        "title": [None, "ISO 13485 lead auditor"],
        "competency": None,
        "obtained_on": "2024-03-01",
        "expires_on": "2027-03-01",
        "file_sha256": record.file.sha256,
    }


def test_the_person_downloads_the_file_of_their_record(signed_in, cast, record):
    response = signed_in(cast.trainee).get(f"/training/competence/{record.pk}/file/")
    assert response["Content-Disposition"] == 'attachment; filename="Certificate.pdf"'
    assert b"".join(response.streaming_content) == CERTIFICATE


def test_a_record_that_expires_before_it_was_obtained_is_refused(signed_in, cast):
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/training/people/trainee/competence/new/", _record_form(expires_on="2024-01-01")
    )
    assert page.status_code == 200
    assert "It must expire after it was obtained." in page.content.decode()
    assert not CompetenceRecord.objects.exists() and event_count() == before


def test_the_person_cannot_add_records_to_themselves(signed_in, cast):
    client = signed_in(cast.trainee)
    before = event_count()
    assert client.get("/training/people/trainee/competence/new/").status_code == 404
    response = client.post("/training/people/trainee/competence/new/", _record_form())
    assert response.status_code == 404
    assert not CompetenceRecord.objects.exists() and event_count() == before


def test_records_keeper_withdraws_a_record_with_a_reason(signed_in, cast, record):
    before = event_count()
    response = signed_in(cast.qa_lead).post(
        f"/training/competence/{record.pk}/withdraw/", {"reason": "Entered for the wrong person"}
    )
    assert response["Location"] == "/training/people/trainee/"
    record.refresh_from_db()
    assert record.withdraw_reason == "Entered for the wrong person"
    (event,) = events_since(before)
    assert (event.action, event.reason) == (
        "training.competence.withdrawn",
        "Entered for the wrong person",
    )


def test_a_withdrawal_without_a_reason_changes_nothing(signed_in, cast, record):
    before = event_count()
    signed_in(cast.qa_lead).post(f"/training/competence/{record.pk}/withdraw/", {"reason": ""})
    record.refresh_from_db()
    assert record.withdrawn_at is None and event_count() == before


def test_evaluator_signs_an_evaluation_of_a_person_in_their_job_role(signed_in, cast, engineer):
    client = signed_in(cast.qa_lead)
    shown = shown_hashes(client)[engineer.pk]
    before = event_count()
    response = client.post(
        "/training/people/trainee/evaluate/", _evaluation(engineer, content_hash=shown)
    )
    assert response["Location"] == "/training/people/trainee/"
    (evaluation,) = Evaluation.objects.all()
    assert (evaluation.person, evaluation.job_role, evaluation.evaluator) == (
        cast.trainee,
        engineer,
        cast.qa_lead,
    )
    events = events_since(before)
    assert [e.action for e in events] == ["core.signature.signed", "training.evaluation.recorded"]
    assert changes_of(events[1]) == {
        "person": "trainee",
        "subject": "Software engineer",
        "method": "Interview",
        "result": "effective",
    }


def test_a_job_role_the_person_does_not_hold_is_not_evaluated(signed_in, cast, engineer):
    other = actions.create_job_role(actor=cast.qa_lead, name="QA specialist")
    client = signed_in(cast.qa_lead)
    shown = shown_hashes(client)[engineer.pk]
    before = event_count()
    client.post("/training/people/trainee/evaluate/", _evaluation(other, content_hash=shown))
    assert not Evaluation.objects.exists() and event_count() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/training/people/trainee/competence/new/"),
        ("post", "/training/people/trainee/competence/new/"),
        ("get", "/training/competence/{pk}/file/"),
        ("post", "/training/competence/{pk}/withdraw/"),
        ("post", "/training/people/trainee/evaluate/"),
    ],
)
def test_outsider_gets_not_found_and_changes_nothing(
    signed_in, cast, engineer, record, method, path
):
    client = signed_in(cast.outsider)
    before = event_count()
    data = {"reason": "x", **_evaluation(engineer)} if method == "post" else None
    response = getattr(client, method)(path.format(pk=record.pk), data)
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.withdrawn_at is None and not Evaluation.objects.exists()
    assert CompetenceRecord.objects.count() == 1 and event_count() == before
