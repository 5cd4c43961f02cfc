"""A family's medical device file (ISO 13485 4.2.3): documents added to and removed from
its sections, sections marked not applicable with a justification, and its completeness
(a section counts with a document in force or a justified "not applicable")."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.devices import actions
from openqms.devices.contents import file_of
from openqms.devices.models import FileEntry, FileSectionMark
from openqms.documents import actions as documents
from openqms.testing import changes_of, event_count, last_event

from .conftest import draft_document, effective_document, section


@pytest.mark.verifies("DEV-013")
def test_a_document_is_filed_and_removed_with_events_on_the_file(cast, family):
    sop = effective_document(cast, "Software release")
    entry = actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "devices.file.document_added",
        "devices.file",
        str(family.pk),
    )
    assert changes_of(event) == {
        "family": "HR-SW",
        "section": "manufacturing",
        "document": [None, sop.number],
    }
    actions.remove_file_document(actor=cast.qa_lead, entry=entry, reason="Wrong section")
    event = last_event()
    assert event.action == "devices.file.document_removed"
    assert changes_of(event)["document"] == [sop.number, None]
    assert event.reason == "Wrong section"
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.remove_file_document(actor=cast.qa_lead, entry=entry, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("DEV-013")
def test_completeness_counts_documents_in_force_and_justified_sections(cast, family):
    assert file_of(family).done == 0
    sop = effective_document(cast, "Software release")
    draft = draft_document(cast, "Labelling")
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("labels"), document=draft
    )
    actions.mark_not_applicable(
        actor=cast.qa_lead,
        family=family,
        section=section("installation"),
        justification="Software runs in the cloud: nothing to install.",
    )
    event = last_event()
    assert changes_of(event) == {
        "family": "HR-SW",
        "section": "installation",
        "not_applicable": [False, True],
        "justification": [None, "Software runs in the cloud: nothing to install."],
    }
    view = file_of(family)
    complete = {s.section.code for s in view.sections if s.complete}
    assert complete == {"manufacturing", "installation"}  # the draft is not in force
    assert (view.done, len(view.sections), view.percent) == (2, 8, 25)
    actions.mark_applicable(
        actor=cast.qa_lead, family=family, section=section("installation"), reason="On-premise"
    )
    assert changes_of(last_event())["not_applicable"] == [True, False]
    assert file_of(family).done == 1


@pytest.mark.verifies("DEV-013")
def test_refusals_change_nothing(cast, family):
    sop = effective_document(cast, "Software release")
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    actions.mark_not_applicable(
        actor=cast.qa_lead, family=family, section=section("servicing"), justification="None."
    )
    before = event_count()
    with pytest.raises(InvalidInput):  # twice in one section
        actions.add_file_document(
            actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
        )
    with pytest.raises(InvalidInput):  # into a section that does not apply
        actions.add_file_document(
            actor=cast.qa_lead, family=family, section=section("servicing"), document=sop
        )
    with pytest.raises(InvalidInput):  # a section with documents is not "not applicable"
        actions.mark_not_applicable(
            actor=cast.qa_lead, family=family, section=section("manufacturing"), justification="x"
        )
    with pytest.raises(InvalidInput) as refused:
        actions.mark_not_applicable(
            actor=cast.qa_lead, family=family, section=section("labels"), justification=" "
        )
    assert "justification" in refused.value.fields
    with pytest.raises(PermissionRefused):
        actions.add_file_document(
            actor=cast.author, family=family, section=section("labels"), document=sop
        )
    assert event_count() == before
    assert FileEntry.objects.count() == 1
    assert FileSectionMark.objects.count() == 1


@pytest.mark.verifies("DEV-013")
def test_a_document_withdrawn_after_the_caller_read_it_is_not_filed(cast, family):
    sop = effective_document(cast, "Old procedure")
    stale = type(sop).objects.get(pk=sop.pk)  # the view's object, read before the withdrawal
    documents.withdraw_document(actor=cast.qa_lead, document=sop, reason="Retired")
    before = event_count()
    with pytest.raises(InvalidInput, match="withdrawn"):
        actions.add_file_document(
            actor=cast.qa_lead, family=family, section=section("labels"), document=stale
        )
    assert event_count() == before
    assert not FileEntry.objects.exists()


@pytest.mark.verifies("DEV-013")
def test_a_withdrawn_document_is_not_filed(cast, family):
    sop = effective_document(cast, "Old procedure")
    documents.withdraw_document(actor=cast.qa_lead, document=sop, reason="Retired")
    sop.refresh_from_db()
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.add_file_document(
            actor=cast.qa_lead, family=family, section=section("labels"), document=sop
        )
    assert event_count() == before
