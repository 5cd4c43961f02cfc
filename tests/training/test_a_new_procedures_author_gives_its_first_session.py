"""Nobody is trained on a new procedure before its first session: its author may give it,
and so may a trainer the record keeper names with a reason (kept with the session and
in the audit trail). Anyone else untrained is still refused, and nothing is written."""

import pytest
from django.utils import timezone

from openqms.core.errors import TransitionNotAllowed
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, TrainingSession

from .conftest import SIGN
from .test_api_training import Api

TODAY = timezone.localdate()


def _record(cast, sop_a, trainer, **extra):
    return actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=trainer,
        held_on=TODAY,
        attendees=[cast.trainee],
        material="First walkthrough",
        **extra,
    )


@pytest.mark.verifies("TRN-023")
def test_the_untrained_author_gives_and_signs_the_first_session(cast, engineer, sop_a):
    assert sop_a.author == cast.author
    assert not Assignment.objects.filter(person=cast.author).exists()  # trained on nothing
    session = _record(cast, sop_a, cast.author)
    actions.sign_session(actor=cast.author, session=session, credentials=SIGN)
    (assignment,) = Assignment.objects.filter(person=cast.trainee)
    assert (assignment.state, assignment.method, assignment.session) == (
        "completed",
        "session",
        session,
    )


@pytest.mark.verifies("TRN-023")
def test_a_trainer_named_with_a_reason_gives_it(cast, engineer, sop_a):
    before = event_count()
    session = _record(cast, sop_a, cast.reviewer, trainer_reason="  Wrote the process  ")
    assert session.trainer_reason == "Wrote the process"
    (event,) = events_since(before)
    assert changes_of(event)["trainer_reason"] == "Wrote the process"
    actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    assert Assignment.objects.get(person=cast.trainee).state == "completed"


@pytest.mark.verifies("TRN-023", refusal=True)
def test_anyone_else_untrained_is_refused_and_nothing_is_written(cast, engineer, sop_a):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        _record(cast, sop_a, cast.reviewer)
    assert refused.value.message == (
        "Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it. "
        "Choose someone trained on it or its author, or say why this trainer may give the session."
    )
    assert refused.value.fields == {"trainer_reason": "Say why this trainer may give the session."}
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_the_page_takes_the_reason(signed_in, cast, engineer, sop_a):
    client = signed_in(cast.qa_lead)
    response = client.post(
        "/training/sessions/new/",
        {
            "revision": sop_a.pk,
            "trainer": "reviewer",
            "trainer_reason": "Subject-matter expert",
            "held_on": TODAY.isoformat(),
            "attendees": ["trainee"],
            "material": "First walkthrough",
        },
    )
    (session,) = TrainingSession.objects.all()
    assert response["Location"] == f"/training/sessions/{session.pk}/"
    assert (session.trainer, session.trainer_reason) == (cast.reviewer, "Subject-matter expert")


def test_the_api_takes_the_reason(client, cast, engineer, sop_a):
    body = {
        "document": "SOP-001",
        "revision": "A",
        "trainer": "reviewer",
        "trainer_reason": "Subject-matter expert",
        "held_on": str(TODAY),
        "attendees": ["trainee"],
        "material": "Slides v3",
    }
    recorded = Api(client, cast.qa_lead).post("/sessions", body)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["trainer_reason"] == "Subject-matter expert"
    signed = Api(client, cast.reviewer).post(
        f"/sessions/{recorded.json()['id']}/sign",
        {"password": PASSWORD, "content_hash": recorded.json()["content_hash"]},
    )
    assert signed.status_code == 200, signed.content
