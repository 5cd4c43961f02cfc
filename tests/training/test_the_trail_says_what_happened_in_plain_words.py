"""The audit trail's wording (walk finding 14): a session is named once ("Classroom
session on SOP-001 rev A, held 29 Nov 2026"), a list recorded with a new record reads as a
list ("attendees: author, trainee"), a change as "old → new", and a user account by the
person's name and username."""

from django.utils import timezone

from openqms.core import trail
from openqms.training import actions


def _rows(client, **query):
    return client.get("/audit/", query).context["rows"]


def test_a_session_is_named_once_and_its_attendees_read_as_a_list(signed_in, cast, sop_a):
    today = timezone.localdate()
    actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=cast.author,
        held_on=today,
        attendees=[cast.trainee, cast.reviewer],
        material="Walkthrough",
    )
    (row,) = _rows(signed_in(cast.qa_lead), action="training.session.recorded")
    assert row.record.label == f"Classroom session on SOP-001 rev A, held {today:%d %b %Y}"
    assert dict(row.changes)["attendees"] == "reviewer, trainee"
    assert dict(row.changes)["trainer"] == "author"


def test_a_change_reads_old_to_new_and_a_list_inside_it_as_a_list():
    assert trail.changes_shown('{"state": ["draft", "in_review"]}') == [
        ("state", "draft → in_review")
    ]
    assert trail.changes_shown('{"roles": [["a"], ["a", "b"]], "x": [null, 1]}') == [
        ("roles", "a → a, b"),
        ("x", "— → 1"),
    ]
    assert trail.changes_shown('{"people": ["omar", "tom"], "note": "x"}') == [
        ("people", "omar, tom"),
        ("note", "x"),
    ]


def test_a_user_account_is_named_by_the_person(signed_in, cast):
    rows = _rows(signed_in(cast.auditor), record="Taylor")
    assert "User Taylor Trainee (trainee)" in {r.record.label for r in rows}
