import pytest

from openqms.core import audit
from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.core.links import link_records
from openqms.core.signatures import manifestations
from openqms.events import guards
from openqms.events.actions import complaints as actions
from openqms.testing import changes_of, event_count, events_since

from .complaints_setup import open_complaint, ready_to_close
from .conftest import SIGN


def close(cast, complaint, note="", actor=None):
    return actions.close_complaint(
        actor=actor or cast.qa_lead, complaint=complaint, closure_note=note, credentials=SIGN
    )


def refused(cast, complaint, words, note=""):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as error:
        close(cast, complaint, note)
    assert words in error.value.message
    complaint.refresh_from_db()
    assert (complaint.state, complaint.closed_at, event_count()) == ("open", None, before)


@pytest.mark.verifies("EVT-008")
def test_the_qa_lead_closes_a_complaint_with_a_signature(cast, device):
    complaint = ready_to_close(cast, device)
    before = event_count()
    closed = close(cast, complaint, "All done.")
    assert (closed.state, closed.closure_note) == ("closed", "All done.")
    assert closed.closed_at is not None
    signed, event = events_since(before)
    assert changes_of(signed)["meaning"] == "complaint_closed"
    assert (event.action, changes_of(event)["state"]) == (
        "events.complaint.closed",
        ["open", "closed"],
    )
    [shown] = manifestations(closed)
    assert (shown.meaning, shown.valid) == ("complaint_closed", True)


@pytest.mark.verifies("EVT-008", refusal=True)
def test_no_decision_in_force_refuses_closure(cast, device):
    complaint = open_complaint(cast, device)
    actions.edit_complaint(
        actor=cast.qa_lead,
        complaint=complaint,
        investigation="i",
        root_cause="r",
        capa_needed=False,
        capa_reason="c",
        reply="y",
    )
    refused(cast, complaint, "reportability decision")


@pytest.mark.verifies("EVT-008", refusal=True)
@pytest.mark.parametrize(
    ("field", "words"),
    [("investigation", "investigation"), ("root_cause", "root cause")],
)
def test_a_missing_investigation_or_root_cause_refuses_closure(cast, device, field, words):
    complaint = ready_to_close(cast, device, **{field: ""})
    refused(cast, complaint, words)


@pytest.mark.verifies("EVT-008", refusal=True)
def test_capa_needed_unanswered_refuses_closure(cast, device):
    complaint = ready_to_close(cast, device, capa_needed=None, capa_reason="")
    refused(cast, complaint, "whether a CAPA is needed")


@pytest.mark.verifies("EVT-008", refusal=True)
def test_a_needed_capa_must_be_linked_before_closure(cast, device):
    complaint = ready_to_close(cast, device, capa_needed=True)
    refused(cast, complaint, "CAPA is needed")
    with audit.writing():
        link_records(
            actor=cast.qa_lead, source=complaint, target=("events.capa", "7"), kind="raised"
        )
    assert close(cast, complaint).state == "closed"


@pytest.mark.verifies("EVT-008", refusal=True)
def test_no_reply_needs_a_closure_note_saying_why(cast, device):
    complaint = ready_to_close(cast, device, reply="")
    refused(cast, complaint, "reply")
    assert close(cast, complaint, "Anonymous reporter.").state == "closed"


@pytest.mark.verifies("EVT-008", refusal=True)
def test_another_areas_guard_refuses_closure(cast, device, monkeypatch):
    monkeypatch.setitem(
        guards._rules, ("complaint", "close"), [lambda c: "Submit the final incident report."]
    )
    refused(cast, ready_to_close(cast, device), "final incident report")


@pytest.mark.verifies("EVT-008", refusal=True)
def test_the_author_cannot_close(cast, device):
    complaint = ready_to_close(cast, device)
    before = event_count()
    with pytest.raises(PermissionRefused):
        close(cast, complaint, actor=cast.author)
    complaint.refresh_from_db()
    assert (complaint.state, event_count()) == ("open", before)


@pytest.mark.verifies("EVT-008", refusal=True)
def test_a_closed_complaint_cannot_close_again(cast, device):
    complaint = close(cast, ready_to_close(cast, device))
    refused_before = event_count()
    with pytest.raises(TransitionNotAllowed):
        close(cast, complaint)
    assert event_count() == refused_before


@pytest.mark.verifies("EVT-008", refusal=True)
def test_management_holds_sign_but_cannot_close_a_complaint(cast, device):
    complaint = ready_to_close(cast, device)
    before = event_count()
    with pytest.raises(PermissionRefused, match="complaint closures"):
        close(cast, complaint, actor=cast.manager)
    complaint.refresh_from_db()
    assert (complaint.state, event_count()) == ("open", before)
