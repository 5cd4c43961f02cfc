from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.core.models import User
from openqms.documents.models import Revision
from openqms.training import matrix
from openqms.training.models import (
    Assignment,
    AssignmentState,
    ComplianceSnapshot,
    JobRole,
    QuizAttempt,
)


def test_the_demo_sop_revision_b_has_assigned_training_some_done_some_overdue(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    rev_b = Revision.objects.get(document__number="SOP-001", label="B")
    assert rev_b.state == "effective"
    on_b = Assignment.objects.filter(revision=rev_b)
    done = set(
        on_b.filter(state=AssignmentState.COMPLETED).values_list("person__username", flat=True)
    )
    open_ = on_b.filter(state=AssignmentState.OPEN)
    assert done == {"priya", "tom"}
    assert {a.person.username for a in open_} >= {"trainee", "grace", "omar"}
    built = matrix.build()
    statuses = {
        r.username: r.cells[f"d{rev_b.document_id}"].status
        for r in built.rows
        if f"d{rev_b.document_id}" in r.cells
    }
    assert statuses["priya"] == matrix.CURRENT and statuses["trainee"] == matrix.OVERDUE
    assert QuizAttempt.objects.filter(passed=False).exists()  # Tom's and Grace's
    assert ComplianceSnapshot.objects.count() == 9
    assert chain.verify_chain().ok


def test_seeding_the_demo_twice_adds_nothing(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    counts = (Assignment.objects.count(), JobRole.objects.count(), User.objects.count())
    seed_demo()
    assert (Assignment.objects.count(), JobRole.objects.count(), User.objects.count()) == counts
