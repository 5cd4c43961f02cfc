from openqms.testing import changes_of, event_count, events_since
from openqms.training.models import Assignment, AssignmentState

from .conftest import SIGN, new_revision, open_assignments
from openqms.training import actions


def test_an_effective_revision_assigns_everyone_whose_job_role_requires_it_once(
    cast, engineer, sop_a
):
    mine = open_assignments(cast.trainee)
    assert [(a.revision_id, a.reason) for a in mine] == [
        (sop_a.pk, "SOP-001 rev A became effective")
    ]
    assert Assignment.objects.filter(revision=sop_a).count() == 1
    assert not cast.reviewer.assignments.exists()


def test_a_new_revision_supersedes_open_training_and_assigns_the_new_one(cast, engineer, sop_a):
    before = event_count()
    rev_b = new_revision(cast, sop_a)
    (old,) = Assignment.objects.filter(revision=sop_a)
    assert old.state == AssignmentState.SUPERSEDED
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [rev_b.pk]
    created = [e for e in events_since(before) if e.action == "training.assignment.created"]
    assert [changes_of(e)["people"] for e in created] == [["trainee"]]


def test_no_retraining_revision_creates_no_assignment_for_the_trained(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    rev_b = new_revision(cast, sop_a, no_retraining="Typo fixed in section 3")
    assert not Assignment.objects.filter(revision=rev_b).exists()
    rev_b.refresh_from_db()
    assert (rev_b.retraining_needed, rev_b.retraining_justification) == (
        False, "Typo fixed in section 3"
    )
