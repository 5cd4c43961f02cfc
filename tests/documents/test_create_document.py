import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.documents import actions
from openqms.documents.models import Document, DocumentType, Revision
from openqms.testing import changes_of, event_count, events_since


@pytest.mark.verifies("DOC-027")
def test_a_new_document_is_numbered_from_its_type_with_a_draft_a(cast, sop_type):
    before = event_count()
    revision = actions.create_document(
        actor=cast.author, doc_type=sop_type, title="Document control", clauses=["4.2.4", "4.2.5"]
    )
    assert (revision.document.number, revision.label, revision.state) == ("SOP-001", "A", "draft")
    second = actions.create_document(actor=cast.author, doc_type=sop_type, title="CAPA")
    assert second.document.number == "SOP-002"
    created, drafted = events_since(before)[:2]
    assert created.action == "documents.document.created"
    assert changes_of(created)["number"] == [None, "SOP-001"]
    assert changes_of(created)["clauses"] == [None, ["4.2.4", "4.2.5"]]
    assert drafted.action == "documents.revision.drafted"


def test_numbers_labels_follow_the_type(cast):
    forms = DocumentType.objects.get(code="form")
    forms.revision_scheme = "numbers"
    forms.save()
    revision = actions.create_document(actor=cast.author, doc_type=forms, title="Form")
    assert (revision.document.number, revision.label) == ("FRM-001", "1")
    assert DocumentType(revision_scheme="letters").revision_label(27) == "AA"


@pytest.mark.verifies("DOC-027", refusal=True)
def test_people_without_the_right_cannot_create_documents(cast, sop_type):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.create_document(actor=cast.trainee, doc_type=sop_type, title="Mine")
    assert not Document.objects.exists() and event_count() == before


@pytest.mark.verifies("DOC-027", refusal=True)
def test_a_document_needs_a_title(cast, sop_type):
    with pytest.raises(InvalidInput, match="title"):
        actions.create_document(actor=cast.author, doc_type=sop_type, title="  ")
    assert not Revision.objects.exists()
    sop_type.refresh_from_db()
    assert sop_type.next_number == 1
