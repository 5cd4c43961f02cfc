import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events.actions import complaints as actions
from openqms.testing import changes_of, event_count, last_event

from .complaints_setup import open_complaint


@pytest.mark.verifies("EVT-003")
def test_an_edit_writes_one_event_with_each_change_old_to_new(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    actions.edit_complaint(
        actor=cast.qa_lead,
        complaint=complaint,
        investigation="Logs read.",
        capa_needed="yes",
        capa_reason="Recurring.",
        patient_involved=True,
        patient_details="Female, 71",
        reason="Investigation done",
    )
    assert event_count() == before + 1
    event = last_event()
    assert (event.action, event.reason) == ("events.complaint.edited", "Investigation done")
    assert changes_of(event) == {
        "investigation": ["", "Logs read."],
        "capa_needed": [None, True],
        "capa_reason": ["", "Recurring."],
        "patient_involved": [False, True],
        "patient_details": ["", "Female, 71"],
    }


@pytest.mark.verifies("EVT-003")
def test_an_edit_that_changes_nothing_writes_nothing(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    actions.edit_complaint(actor=cast.qa_lead, complaint=complaint, investigation="")
    assert event_count() == before


@pytest.mark.verifies("EVT-004")
def test_capa_needed_needs_its_reason(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.edit_complaint(actor=cast.qa_lead, complaint=complaint, capa_needed="no")
    assert "capa_reason" in refused.value.fields
    complaint.refresh_from_db()
    assert (complaint.capa_needed, event_count()) == (None, before)


@pytest.mark.verifies("EVT-003", refusal=True)
def test_the_author_cannot_edit_a_complaint(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.edit_complaint(actor=cast.author, complaint=complaint, investigation="x")
    complaint.refresh_from_db()
    assert (complaint.investigation, event_count()) == ("", before)


@pytest.mark.verifies("EVT-004")
def test_related_and_duplicate_complaints_are_linked_and_unlinked_with_a_reason(cast, device):
    from openqms.core.links import linked

    one, two = open_complaint(cast, device), open_complaint(cast, device)
    actions.link_complaint(actor=cast.qa_lead, complaint=two, number=one.number, kind="duplicate")
    assert last_event().action == "core.link.added"
    [shown] = linked(cast.auditor, two)
    assert (shown.says, shown.label) == ("duplicate of", str(one))
    with pytest.raises(InvalidInput):
        actions.link_complaint(actor=cast.qa_lead, complaint=two, number="CMP-0", kind="related")
    actions.unlink_complaint(
        actor=cast.qa_lead, complaint=two, link_id=shown.link_id, reason="Not the same"
    )
    assert (last_event().action, linked(cast.auditor, two)) == ("core.link.removed", [])
