"""Each named person's My tasks entry carries the due date named at submission."""

import datetime as dt

from django.utils import timezone

from openqms.core.inbox import tasks_for
from tests.documents.named_review import submit


def test_each_named_person_has_a_task_with_the_due_date(cast, draft):
    submit(cast, draft, reviewers=[cast.reviewer, cast.qa_lead], days=9)
    due = timezone.localdate() + dt.timedelta(days=9)
    for person, title in [
        (cast.reviewer, "Review SOP-001 rev A: Document control"),
        (cast.qa_lead, "Review SOP-001 rev A: Document control"),
        (cast.approver, "Approve SOP-001 rev A: Document control"),
    ]:
        [task] = tasks_for(person)
        assert (task.title, task.due, task.url) == (title, due, "/documents/SOP-001/A/")
