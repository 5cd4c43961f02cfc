"""Links typed by hand between quality records and other records: added by number,
removed with a reason, both audited; refusals change nothing and write no event."""

import pytest

from openqms.core.errors import InvalidInput, NotFound, PermissionRefused
from openqms.core.models import RecordLink
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.events.actions import across
from openqms.testing import changes_of, event_count, last_event

from .across_records import complaint, record_pages  # noqa: F401
from .conftest import effective_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]


@pytest.mark.verifies("EVT-036")
def test_qa_lead_links_a_complaint_to_another_by_its_number(cast):
    first, second = complaint(cast), complaint(cast, title="Second")
    link = across.link_record(
        actor=cast.qa_lead, record=first, reference=second.number, kind="related", note="same app"
    )
    assert (link.from_type, link.from_id) == ("events.complaint", str(first.pk))
    assert (link.to_type, link.to_id, link.kind) == ("events.complaint", str(second.pk), "related")
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "core.link.added",
        "events.complaint",
        str(first.pk),
    )
    assert changes_of(event) == {
        "link": [None, f"related events.complaint:{second.pk}"],
        "note": [None, "same app"],
    }


@pytest.mark.verifies("EVT-036")
def test_a_document_revision_is_named_by_its_number_and_revision(cast):
    record = complaint(cast)
    document = effective_document(cast, "Export module design")
    link = across.link_record(
        actor=cast.qa_lead, record=record, reference=f"{document.number} rev A", kind="changed"
    )
    revision = document.revisions.get(label="A")
    assert (link.to_type, link.to_id) == ("documents.revision", str(revision.pk))


@pytest.mark.verifies("EVT-036")
def test_a_document_alone_is_named_by_its_number(cast):
    record = complaint(cast)
    document = effective_document(cast, "Export module design")
    link = across.link_record(
        actor=cast.qa_lead, record=record, reference=document.number, kind="related"
    )
    assert (link.to_type, link.to_id) == ("documents.document", str(document.pk))


@pytest.mark.verifies("EVT-036")
@pytest.mark.parametrize(
    ("reference", "kind", "field"),
    [
        ("CMP-1999-0001", "related", "reference"),
        ("", "related", "reference"),
        ("SELF", "related", "link"),
        ("OTHER", "no-such-kind", "kind"),
    ],
)
def test_a_bad_link_is_refused_naming_the_field_and_writes_nothing(cast, reference, kind, field):
    record, other = complaint(cast), complaint(cast, title="Other")
    reference = {"SELF": record.number, "OTHER": other.number}.get(reference, reference)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        across.link_record(actor=cast.qa_lead, record=record, reference=reference, kind=kind)
    assert field in refused.value.fields
    assert event_count() == before
    assert not RecordLink.objects.exists()


@pytest.mark.verifies("EVT-036")
def test_the_same_link_twice_is_refused(cast):
    record, other = complaint(cast), complaint(cast, title="Other")
    across.link_record(actor=cast.qa_lead, record=record, reference=other.number, kind="related")
    before = event_count()
    with pytest.raises(InvalidInput):
        across.link_record(
            actor=cast.qa_lead, record=record, reference=other.number, kind="related"
        )
    assert event_count() == before
    assert RecordLink.objects.count() == 1


@pytest.mark.verifies("EVT-036")
@pytest.mark.parametrize("who", ["trainee", "auditor", "author"])
def test_people_without_manage_cannot_link(cast, who):
    record, other = complaint(cast), complaint(cast, title="Other")
    before = event_count()
    with pytest.raises(PermissionRefused):
        across.link_record(
            actor=getattr(cast, who), record=record, reference=other.number, kind="related"
        )
    assert event_count() == before
    assert not RecordLink.objects.exists()


@pytest.mark.verifies("EVT-037", refusal=True)
def test_a_record_the_actor_cannot_open_is_not_found_by_its_number(cast):
    """A draft revision is its author's (and QA's) until it is in review."""
    draft = documents.create_document(
        actor=cast.author, doc_type=DocumentType.objects.get(code="procedure"), title="Draft"
    )
    assert across.find_record(cast.qa_lead, str(draft)) == ("documents.revision", str(draft.pk))
    with pytest.raises(InvalidInput) as refused:
        across.find_record(cast.trainee, str(draft))
    assert "reference" in refused.value.fields


@pytest.mark.verifies("EVT-036")
def test_removing_a_link_keeps_it_stamped_with_the_reason(cast):
    record, other = complaint(cast), complaint(cast, title="Other")
    link = across.link_record(
        actor=cast.qa_lead, record=record, reference=other.number, kind="related"
    )
    across.remove_link(actor=cast.qa_lead, record=other, link_id=link.pk, reason="Not the same")
    link.refresh_from_db()
    assert link.removed_by == cast.qa_lead and link.removal_reason == "Not the same"
    event = last_event()
    assert (event.action, event.object_id, event.reason) == (
        "core.link.removed",
        str(record.pk),
        "Not the same",
    )
    assert changes_of(event) == {"link": [f"related events.complaint:{other.pk}", None]}


@pytest.mark.verifies("EVT-036")
def test_removing_needs_a_reason_and_manage_and_writes_nothing_when_refused(cast):
    record, other = complaint(cast), complaint(cast, title="Other")
    link = across.link_record(
        actor=cast.qa_lead, record=record, reference=other.number, kind="related"
    )
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        across.remove_link(actor=cast.qa_lead, record=record, link_id=link.pk, reason=" ")
    assert "reason" in refused.value.fields
    with pytest.raises(PermissionRefused):
        across.remove_link(actor=cast.trainee, record=record, link_id=link.pk, reason="x")
    third = complaint(cast, title="Unrelated")
    with pytest.raises(NotFound):
        across.remove_link(actor=cast.qa_lead, record=third, link_id=link.pk, reason="x")
    link.refresh_from_db()
    assert link.removed_at is None
    assert event_count() == before
