"""Creating a document from its page."""

from openqms.documents.models import Document
from openqms.testing import event_count, events_since


def _form(**changes):
    data = {
        "doc_type": "",
        "title": "Control of records",
        "clauses": "4.2.5",
        "change_reason": "New procedure",
        "body": "",
    }
    return data | changes


def test_author_creates_a_numbered_document_with_its_first_draft(signed_in, cast, sop_type):
    before = event_count()
    page = signed_in(cast.author).post("/documents/new/", _form(doc_type=sop_type.pk), follow=True)
    assert page.redirect_chain == [("/documents/SOP-001/A/edit/", 302)]
    assert (
        "Document created. Write its first revision, then submit it for review."
        in page.content.decode()
    )
    assert [e.action for e in events_since(before)] == [
        "documents.document.created",
        "documents.revision.drafted",
    ]


def test_a_bad_clause_number_is_refused_and_nothing_is_created(signed_in, cast, sop_type):
    before = event_count()
    page = signed_in(cast.author).post(
        "/documents/new/", _form(doc_type=sop_type.pk, clauses="4.2.5, chapter four")
    )
    assert "“chapter four” is not a clause number like 4.2.4." in page.content.decode()
    assert not Document.objects.exists() and event_count() == before


def test_a_blank_title_is_refused_and_nothing_is_created(signed_in, cast, sop_type):
    before = event_count()
    page = signed_in(cast.author).post("/documents/new/", _form(doc_type=sop_type.pk, title=" "))
    assert '<small class="problem">This field is required.</small>' in page.content.decode()
    assert not Document.objects.exists() and event_count() == before


def test_a_reader_without_the_right_to_create_gets_not_found(signed_in, cast, sop_type):
    before = event_count()
    client = signed_in(cast.trainee)
    assert client.get("/documents/new/").status_code == 404
    assert client.post("/documents/new/", _form(doc_type=sop_type.pk)).status_code == 404
    assert not Document.objects.exists() and event_count() == before
