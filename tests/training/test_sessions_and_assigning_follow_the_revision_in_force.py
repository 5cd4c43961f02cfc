"""Walk finding 16: a session cannot be dated before its revision existed; the trainer's
sign task is due a week after recording, not overdue at once; Assign training offers only
documents with a revision in force; a revision's author records the session they give."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.core.inbox import tasks_for
from openqms.documents import actions as documents
from openqms.testing import event_count
from openqms.training import actions
from openqms.training.models import TrainingSession

TODAY = timezone.localdate()


def _record(cast, sop_a, held_on, actor=None):
    return actions.record_session(
        actor=actor or cast.qa_lead,
        revision=sop_a,
        trainer=cast.author,
        held_on=held_on,
        attendees=[cast.trainee],
        material="First walkthrough",
    )


def test_a_session_before_the_revision_existed_is_refused(cast, sop_a):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        _record(cast, sop_a, TODAY - dt.timedelta(days=1))
    assert refused.value.message == (
        f"SOP-001 rev A did not exist before {TODAY:%d %b %Y}: a session on it cannot be "
        "held earlier."
    )
    assert refused.value.fields == {"held_on": "Before the revision existed."}
    assert not TrainingSession.objects.exists() and event_count() == before


def test_the_trainers_sign_task_is_due_a_week_after_recording(cast, sop_a):
    session = _record(cast, sop_a, TODAY)
    (task,) = [t for t in tasks_for(cast.author) if t.kind == "Training session"]
    assert task.url == f"/training/sessions/{session.pk}/"
    assert task.due == TODAY + dt.timedelta(days=7)


def test_assign_training_offers_only_documents_in_force(signed_in, cast, sop_a, sop_type):
    documents.create_document(actor=cast.author, doc_type=sop_type, title="Draft", body="x")
    form = signed_in(cast.qa_lead).get("/training/assign/").context["form"]
    assert [d.number for d in form.fields["document"].queryset] == ["SOP-001"]


def test_the_author_records_the_session_they_give_from_the_page(signed_in, cast, sop_a):
    client = signed_in(cast.author)
    page = client.get("/training/sessions/new/")
    assert page.status_code == 200
    form = page.context["form"]
    assert [r.pk for r in form.fields["revision"].queryset] == [sop_a.pk]
    assert [u.username for u in form.fields["trainer"].queryset] == ["author"]
    assert "Record a session" in client.get("/training/sessions/").content.decode()
    response = client.post(
        "/training/sessions/new/",
        {
            "revision": sop_a.pk,
            "trainer": "author",
            "held_on": TODAY.isoformat(),
            "attendees": ["trainee"],
            "material": "First walkthrough",
        },
    )
    (session,) = TrainingSession.objects.all()
    assert response.url == f"/training/sessions/{session.pk}/"
    assert (session.trainer, session.recorded_by) == (cast.author, cast.author)


def test_the_author_records_no_session_given_by_someone_else(cast, sop_a):
    before = event_count()
    with pytest.raises(Exception, match="permission"):
        actions.record_session(
            actor=cast.author,
            revision=sop_a,
            trainer=cast.qa_lead,
            held_on=TODAY,
            attendees=[cast.trainee],
            material="x",
        )
    assert not TrainingSession.objects.exists() and event_count() == before
