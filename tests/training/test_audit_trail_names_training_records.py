"""Training's events name the training as people say it ("Training of Taylor Trainee on
SOP-001 rev A") and link to it; who may not see that person's training (the
administrator manages job roles but does not read the matrix) sees no content."""

from openqms.training import actions
from openqms.training.models import Assignment

from .conftest import SIGN


def _completed(signed_in, viewer):
    page = signed_in(viewer).get("/audit/", {"action": "training.assignment.completed"})
    return [(r.record.label, r.record.url, r.readable) for r in page.context["rows"]]


def test_a_completed_training_is_named_and_linked(signed_in, cast, engineer, sop_a):
    assignment = Assignment.objects.get(person=cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    label = "Training of Taylor Trainee on SOP-001 rev A"
    url = f"/training/assignments/{assignment.pk}/"
    assert _completed(signed_in, cast.auditor) == [(label, url, True)]
    assert _completed(signed_in, cast.admin) == [("Record you cannot open", "", False)]


def test_a_person_s_name_finds_their_account_and_their_training(signed_in, cast, engineer, sop_a):
    assignment = Assignment.objects.get(person=cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    rows = signed_in(cast.auditor).get("/audit/", {"record": "Taylor"}).context["rows"]
    assert {r.record.label for r in rows} == {
        "User Taylor Trainee (trainee)",
        "Training of Taylor Trainee on SOP-001 rev A",
    }
