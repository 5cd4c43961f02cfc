"""A revision with no body and no file cannot be submitted for review (issue 10: an empty
document was submitted and approved)."""

import io

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import event_count, named

EMPTY = "Revision A is empty: write its content or attach a file before submitting it for review."


@pytest.fixture
def empty(cast, sop_type):
    return actions.create_document(
        actor=cast.author, doc_type=sop_type, title="Nothing yet", body=" \n\t"
    )


@pytest.mark.verifies("DOC-024", refusal=True)
def test_an_empty_revision_is_refused_with_a_clear_message(cast, empty):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.author, revision=empty, step="submit", **named(cast))
    assert refused.value.message == EMPTY
    assert Revision.objects.get().state == "draft" and event_count() == before


@pytest.mark.verifies("DOC-024")
def test_a_revision_with_only_a_file_can_be_submitted(cast, empty):
    actions.attach_file(
        actor=cast.author, revision=empty, name="Policy.pdf", content=io.BytesIO(b"%PDF-1.4 x")
    )
    assert (
        actions.take_step(actor=cast.author, revision=empty, step="submit", **named(cast)).state
        == "in_review"
    )


def test_the_revision_page_says_why_it_cannot_be_submitted(signed_in, cast, empty):
    client = signed_in(cast.author)
    page = client.get("/documents/SOP-001/A/").content.decode()
    assert EMPTY in page
    before = event_count()
    posted = client.post("/documents/SOP-001/A/submit/", follow=True).content.decode()
    assert EMPTY in posted
    assert Revision.objects.get().state == "draft" and event_count() == before
