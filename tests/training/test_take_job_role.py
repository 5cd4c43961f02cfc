import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, Holding

from .conftest import SIGN, new_document, open_assignments

pytestmark = pytest.mark.verifies("TRN-011")


@pytest.fixture
def role(cast, sop_type):
    role = actions.create_job_role(actor=cast.qa_lead, name="QA specialist")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop_type)
    return role


def test_taking_a_job_role_assigns_what_it_requires_and_is_not_current(cast, role, sop_a, sop_type):
    cleaning = new_document(cast, sop_type, "Cleaning")
    done = actions.assign_training(
        actor=cast.qa_lead,
        person=cast.trainee,
        document=cleaning.document,
        due_date=timezone.localdate(),
        reason="Induction",
    )
    actions.sign_trained(actor=cast.trainee, assignment=done, credentials=SIGN)
    before = event_count()
    holding = actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    today = timezone.localdate()
    assert (holding.started_on, holding.ended_on) == (today, None)
    [taken, created] = events_since(before)
    assert (taken.action, taken.object_id, changes_of(taken)) == (
        "training.job_role.taken",
        str(cast.trainee.pk),
        {"job_role": [None, "QA specialist"], "started_on": today.isoformat()},
    )
    assert (created.action, changes_of(created)) == (
        "training.assignment.created",
        {
            "document": "SOP-001",
            "revision": "A",
            "due_date": (today + dt.timedelta(days=30)).isoformat(),
            "people": ["trainee"],
        },
    )
    [assignment] = open_assignments(cast.trainee)
    assert (assignment.revision_id, assignment.reason, assignment.by_hand) == (
        sop_a.pk,
        "took on the job role “QA specialist”",
        False,
    )


def test_open_training_is_not_assigned_twice(cast, role, sop_a):
    actions.assign_training(
        actor=cast.qa_lead,
        person=cast.trainee,
        document=sop_a.document,
        due_date=timezone.localdate(),
        reason="Induction",
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    assert Assignment.objects.filter(person=cast.trainee).count() == 1


def test_a_later_start_counts_the_due_date_from_the_start(cast, role, sop_a):
    start = timezone.localdate() + dt.timedelta(days=14)
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role, started_on=start)
    [assignment] = open_assignments(cast.trainee)
    assert assignment.due_date == start + dt.timedelta(days=30)


def test_holding_a_job_role_twice_is_refused(cast, role, sop_a):
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="already holds"):
        actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    assert Holding.objects.filter(person=cast.trainee).count() == 1
    assert Assignment.objects.filter(person=cast.trainee).count() == 1
    assert event_count() == before


def test_only_a_role_manager_gives_job_roles(cast, role, sop_a):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.take_job_role(actor=cast.author, person=cast.trainee, job_role=role)
    assert not Holding.objects.exists() and not Assignment.objects.exists()
    assert event_count() == before
