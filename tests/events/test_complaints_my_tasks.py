"""My tasks: feedback to classify for the QA team, decisions to sign and complaints
ready to close for signers; nothing for the author."""

import pytest

from openqms.events.inbox.complaints import complaint_tasks

from .complaints_setup import log, open_complaint, ready_to_close


def _kinds(user):
    return sorted({t.kind for t in complaint_tasks(user)})


@pytest.mark.verifies("EVT-042")
def test_each_step_shows_in_my_tasks_for_who_takes_it(cast, device):
    log(cast)
    open_complaint(cast, device)
    ready = ready_to_close(cast, device)
    tasks = complaint_tasks(cast.qa_lead)
    assert _kinds(cast.qa_lead) == [
        "Complaints to close",
        "Feedback to classify",
        "Reportability decisions",
    ]
    [closing] = [t for t in tasks if t.kind == "Complaints to close"]
    assert closing.url == f"/events/complaints/{ready.pk}/"
    assert _kinds(cast.author) == []


def _closing(user):
    return sorted(t.title for t in complaint_tasks(user) if t.kind == "Complaints to close")


def _queries(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complaint_tasks(user)  # permissions read once
    with CaptureQueriesContext(connection) as seen:
        complaint_tasks(user)
    return len(seen)


def test_complaints_to_close_cost_the_same_queries_however_many(cast, device):
    for _ in range(2):
        ready_to_close(cast, device)
    few = _queries(cast.qa_lead)
    for _ in range(6):
        ready_to_close(cast, device)
    assert _queries(cast.qa_lead) == few
    assert len(_closing(cast.qa_lead)) == 8


@pytest.mark.verifies("EVT-042")
def test_only_complaints_that_may_close_are_listed_to_close(cast, device):
    from openqms.events.actions.complaints import close_problems, decide_reportability
    from openqms.events.models import Complaint

    from .complaints_setup import SERIOUS, final_report_submitted
    from .conftest import SIGN

    ready = ready_to_close(cast, device)
    needs_capa = ready_to_close(cast, device, capa_needed=True, capa_reason="Recurring.")
    reportable = ready_to_close(cast, device)
    decide_reportability(
        actor=cast.qa_lead,
        complaint=reportable,
        answers=SERIOUS,
        rationale="Admitted.",
        credentials=SIGN,
    )
    listed = _closing(cast.qa_lead)
    expected = sorted(
        f"Close {c.number} {c.title}"
        for c in Complaint.objects.all()
        if not close_problems(c, note="-")
    )
    assert listed == expected == [f"Close {ready.number} {ready.title}"]
    assert needs_capa.pk and _kinds(cast.manager) == []
    final_report_submitted(cast, reportable)
    assert f"Close {reportable.number} {reportable.title}" in _closing(cast.qa_lead)
