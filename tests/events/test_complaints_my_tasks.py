"""My tasks: feedback to classify for the QA team, decisions to sign and complaints
ready to close for signers; nothing for the author."""

from openqms.events.inbox.complaints import complaint_tasks

from .complaints_setup import log, open_complaint, ready_to_close


def _kinds(user):
    return sorted({t.kind for t in complaint_tasks(user)})


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
