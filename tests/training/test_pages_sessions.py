"""Classroom sessions through the pages: recorded on a revision in force, signed by the
trainer, whose signature completes the attendees' training; the material downloads."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from openqms.core import actions as core
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import TrainingSession

from .conftest import SIGN, open_assignments, sign_all

SLIDES = b"%PDF-1.4 the slides " + b"x" * 50


def _form(sop_a, **overrides):
    data = {
        "revision": sop_a.pk,
        "trainer": "qa-lead",
        "held_on": timezone.localdate().isoformat(),
        "attendees": ["trainee"],
        "material": "Walkthrough of sections 1 to 3",
    }
    return data | overrides


def _shown_hash(page) -> str:
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page.content.decode())[1]


@pytest.fixture
def trained_qa_lead(cast, engineer, sop_a):
    """The QA lead holds the job role too and is trained on SOP-001 rev A: they may train."""
    actions.take_job_role(actor=cast.qa_lead, person=cast.qa_lead, job_role=engineer)
    sign_all(cast.qa_lead)
    return cast.qa_lead


@pytest.fixture
def session(cast, trained_qa_lead, sop_a):
    """A session the QA lead gave on SOP-001 rev A to the trainee, with its slides, unsigned."""
    return actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=cast.qa_lead,
        held_on=timezone.localdate(),
        attendees=[cast.trainee],
        material="Walkthrough of sections 1 to 3",
        file_name="Slides.pdf",
        file_content=SimpleUploadedFile("Slides.pdf", SLIDES),
    )


def test_records_keeper_records_a_session_from_the_page(signed_in, cast, trained_qa_lead, sop_a):
    client = signed_in(cast.qa_lead)
    assert (
        "SOP-001 rev A Document control" in client.get("/training/sessions/new/").content.decode()
    )
    before = event_count()
    data = _form(sop_a, material_file=SimpleUploadedFile("Slides.pdf", SLIDES))
    response = client.post("/training/sessions/new/", data)
    (session,) = TrainingSession.objects.all()
    assert response["Location"] == f"/training/sessions/{session.pk}/"
    assert (session.trainer, list(session.attendees.all()), session.material_name) == (
        cast.qa_lead,
        [cast.trainee],
        "Slides.pdf",
    )
    (event,) = events_since(before)
    assert event.action == "training.session.recorded"
    assert changes_of(event) == {
        "revision": "SOP-001 rev A",
        "trainer": "qa-lead",
        "held_on": timezone.localdate().isoformat(),
        "attendees": ["trainee"],
        "material_sha256": session.material_file.sha256,
    }
    assert len(open_assignments(cast.trainee)) == 1  # not complete until the trainer signs


def test_the_trainers_signature_completes_the_attendees_training(signed_in, cast, session):
    client = signed_in(cast.qa_lead)
    page = client.get(f"/training/sessions/{session.pk}/")
    assert "Sign: Training delivered (trainer)" in page.content.decode()
    before = event_count()
    client.post(
        f"/training/sessions/{session.pk}/sign/",
        {"password": PASSWORD, "content_hash": _shown_hash(page)},
    )
    (done,) = cast.trainee.assignments.all()
    assert (done.state, done.method, done.session) == ("completed", "session", session)
    events = events_since(before)
    assert [e.action for e in events] == [
        "core.signature.signed",
        "training.assignment.completed",
        "training.session.signed",
    ]
    assert changes_of(events[1])["method"] == "session"
    assert changes_of(events[2])["attendees"] == ["trainee"]
    html = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "<strong>Quinn Avery</strong> — Training delivered (trainer)" in html
    assert "Sign: Training delivered" not in html


def test_a_wrong_password_signs_no_session(signed_in, cast, session):
    client = signed_in(cast.qa_lead)
    shown = _shown_hash(client.get(f"/training/sessions/{session.pk}/"))
    before = event_count()
    page = client.post(
        f"/training/sessions/{session.pk}/sign/",
        {"password": "wrong", "content_hash": shown},
        follow=True,
    )
    assert "The password is not correct; nothing was signed." in page.content.decode()
    session.refresh_from_db()
    assert session.signed_at is None and len(open_assignments(cast.trainee)) == 1
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_only_the_trainer_signs_the_session(signed_in, cast, session):
    client = signed_in(cast.trainee)
    assert (
        'name="content_hash"'
        not in client.get(f"/training/sessions/{session.pk}/").content.decode()
    )
    before = event_count()
    page = client.post(
        f"/training/sessions/{session.pk}/sign/", {"password": PASSWORD}, follow=True
    )
    assert escape("Only the session's trainer signs it.") in page.content.decode()
    assert len(open_assignments(cast.trainee)) == 1 and event_count() == before


def test_an_attendee_sees_the_session_and_downloads_its_material(signed_in, cast, session):
    client = signed_in(cast.trainee)
    listing = client.get("/training/sessions/")
    assert [s.pk for s in listing.context["page"]] == [session.pk]
    html = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "Taylor Trainee (trainee)" in html and "Slides.pdf" in html
    response = client.get(f"/training/sessions/{session.pk}/material/")
    assert response["Content-Disposition"] == 'attachment; filename="Slides.pdf"'
    assert b"".join(response.streaming_content) == SLIDES


def test_someone_who_neither_gave_nor_attended_sees_no_session(signed_in, cast, session):
    client = signed_in(cast.reviewer)
    assert list(client.get("/training/sessions/").context["page"]) == []
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["{pk}/", "{pk}/material/", "new/"])
def test_outsider_gets_not_found(signed_in, cast, session, path):
    url = "/training/sessions/" + path.format(pk=session.pk)
    assert signed_in(cast.outsider).get(url).status_code == 404


def test_outsider_signs_no_session_by_posting(signed_in, cast, session):
    before = event_count()
    response = signed_in(cast.outsider).post(
        f"/training/sessions/{session.pk}/sign/", {"password": PASSWORD}
    )
    assert response.status_code == 404 and event_count() == before


@pytest.mark.parametrize("who", ["trainee", "reviewer"])
def test_only_records_keepers_and_authors_record_a_session(
    signed_in, cast, trained_qa_lead, sop_a, who
):
    client = signed_in(getattr(cast, who))
    assert client.get("/training/sessions/new/").status_code == 404
    assert "Record a session" not in client.get("/training/sessions/").content.decode()
    before = event_count()
    response = client.post("/training/sessions/new/", _form(sop_a, trainer=cast.qa_lead.username))
    assert response.status_code == 404
    assert not TrainingSession.objects.exists() and event_count() == before
    assert "Record a session" in signed_in(cast.qa_lead).get("/training/sessions/").content.decode()


def test_the_records_keeper_names_any_active_person_as_trainer(signed_in, cast, engineer, sop_a):
    core.deactivate_user(actor=cast.admin, user=cast.author, reason="Left")
    client = signed_in(cast.qa_lead)
    choices = client.get("/training/sessions/new/").context["form"].fields["trainer"].queryset
    assert [p.username for p in choices] == [
        "admin",
        "auditor",
        "manager",
        "approver",
        "outsider",
        "qa-lead",
        "reviewer",
        "trainee",
    ]
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)
    client.post("/training/sessions/new/", _form(sop_a, trainer="reviewer"))
    assert TrainingSession.objects.get().trainer == cast.reviewer


def test_a_trainer_not_trained_on_the_revision_is_refused_with_the_reason(
    signed_in, cast, engineer, sop_a
):
    before = event_count()
    page = signed_in(cast.qa_lead).post("/training/sessions/new/", _form(sop_a, trainer="reviewer"))
    assert (
        escape("Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it.")
        in page.content.decode()
    )
    assert not TrainingSession.objects.exists() and event_count() == before


def test_an_untrained_trainer_is_refused_at_signing_with_the_reason(
    signed_in, cast, engineer, sop_a
):
    """The reviewer was trained when the session was recorded; an evaluation then found
    their training not effective, so they no longer train others on the procedure."""
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)
    session = actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=cast.reviewer,
        held_on=timezone.localdate(),
        attendees=[cast.trainee],
        material="Walkthrough",
    )
    (own,) = cast.reviewer.assignments.all()
    actions.evaluate_training(
        actor=cast.qa_lead,
        method="Observed at work",
        result="not_effective",
        comment="Skips the review",
        credentials=SIGN,
        assignment=own,
    )
    before = event_count()
    page = signed_in(cast.reviewer).post(
        f"/training/sessions/{session.pk}/sign/", {"password": PASSWORD}, follow=True
    )
    assert (
        escape("Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it.")
        in page.content.decode()
    )
    session.refresh_from_db()
    assert session.signed_at is None and len(open_assignments(cast.trainee)) == 1
    assert event_count() == before


def test_the_list_shows_the_newest_session_first(
    signed_in, cast, session, trained_qa_lead, monkeypatch
):
    from openqms.training.actions import completion

    # SOP-001 rev A was written today; let a session three days ago be recorded on it.
    monkeypatch.setattr(completion, "_first_day", lambda revision: dt.date.min)
    earlier = actions.record_session(
        actor=cast.qa_lead,
        revision=session.revision,
        trainer=trained_qa_lead,
        held_on=timezone.localdate() - dt.timedelta(days=3),
        attendees=[cast.trainee],
        material="First pass",
    )
    later = actions.record_session(
        actor=cast.qa_lead,
        revision=session.revision,
        trainer=trained_qa_lead,
        held_on=timezone.localdate(),
        attendees=[cast.trainee],
        material="Second pass",
    )
    listing = signed_in(cast.trainee).get("/training/sessions/")
    assert [s.pk for s in listing.context["page"]] == [later.pk, session.pk, earlier.pk]


def test_a_session_in_the_future_is_refused_with_the_reason(
    signed_in, cast, trained_qa_lead, sop_a
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/training/sessions/new/", _form(sop_a, held_on=tomorrow.isoformat())
    )
    assert "A session is recorded once held." in page.content.decode()
    assert not TrainingSession.objects.exists() and event_count() == before
