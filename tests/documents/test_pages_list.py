"""The document list: what each reader sees, the filters, pages, and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.documents import actions
from openqms.documents.models import DocumentType
from openqms.testing import named
from tests.documents.conftest import SIGN


def _numbers(page) -> list[str]:
    return [d.number for d in page.context["rows"]]


def _effective(cast, doc_type, title, clauses=(), body="Text"):
    revision = actions.create_document(
        actor=cast.author, doc_type=doc_type, title=title, clauses=clauses, body=body
    )
    revision = actions.take_step(actor=cast.author, revision=revision, step="submit", **named(cast))
    if doc_type.needs_review:
        actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


@pytest.fixture
def library(cast, sop_type, effective):
    """SOP-001 effective (by the author, clause 4.2.4) with B in review; SOP-002 a draft
    owned by the QA lead (clause 7.3.2); FRM-001 an effective form."""
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    actions.take_step(actor=cast.author, revision=b, step="submit", **named(cast))
    actions.create_document(
        actor=cast.qa_lead, doc_type=sop_type, title="Design control", clauses=["7.3.2"]
    )
    form_type = DocumentType.objects.get(code="form")
    _effective(cast, form_type, "Training record", body="Signed by the trainee's manager")


def test_qa_lead_sees_every_document_with_its_revisions(signed_in, cast, library):
    page = signed_in(cast.qa_lead).get("/documents/")
    assert _numbers(page) == ["FRM-001", "SOP-001", "SOP-002"]
    html = page.content.decode()
    assert 'next: <a href="/documents/SOP-001/B/">B</a>' in html
    assert '<span class="badge state-in_review">in review</span>' in html
    assert "New document" in html


def test_trainee_sees_only_effective_documents(signed_in, cast, library):
    page = signed_in(cast.trainee).get("/documents/")
    assert _numbers(page) == ["FRM-001", "SOP-001"]
    html = page.content.decode()
    assert "state-in_review" not in html and "New document" not in html


def test_outsider_sees_an_empty_list(signed_in, cast, library):
    page = signed_in(cast.outsider).get("/documents/")
    assert page.status_code == 200 and _numbers(page) == []
    assert "No documents to show." in page.content.decode()


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"doc_type": "form"}, ["FRM-001"]),
        ({"status": "draft"}, ["SOP-002"]),
        ({"status": "in_review"}, ["SOP-001"]),
        ({"status": "effective"}, ["FRM-001", "SOP-001"]),
        ({"owner": "qa-lead"}, ["SOP-002"]),
        ({"clause": "4.2.4"}, ["SOP-001"]),
        ({"clause": "7.3"}, ["SOP-002"]),
        ({"clause": "4.2"}, ["SOP-001"]),
        ({"clause": "4.2.5"}, []),
        ({"q": "sop-00"}, ["SOP-001", "SOP-002"]),
        ({"q": "design"}, ["SOP-002"]),
        ({"q": "manager"}, ["FRM-001"]),  # a word in the body
    ],
)
def test_filters_narrow_the_list(signed_in, cast, library, query, numbers):
    assert _numbers(signed_in(cast.qa_lead).get("/documents/", query)) == numbers


def test_status_filter_does_not_reveal_drafts_a_reader_may_not_see(signed_in, cast, library):
    client = signed_in(cast.trainee)
    assert _numbers(client.get("/documents/", {"status": "draft"})) == []
    assert _numbers(client.get("/documents/", {"status": "in_review"})) == []


def test_a_bad_filter_shows_the_problem_and_no_rows(signed_in, cast, library):
    page = signed_in(cast.qa_lead).get("/documents/", {"clause": "4.2; drop"})
    assert _numbers(page) == []
    assert "Clause: “4.2; drop” is not a clause number like 4.2.4." in page.content.decode()


def test_the_list_has_pages_of_fifty_that_keep_the_filters(signed_in, cast, sop_type):
    for n in range(51):
        actions.create_document(actor=cast.author, doc_type=sop_type, title=f"Procedure {n}")
    client = signed_in(cast.qa_lead)
    first = client.get("/documents/", {"doc_type": "procedure"})
    assert len(_numbers(first)) == 50
    html = first.content.decode()
    assert "Page 1 of 2 · 51 documents" in html
    assert 'href="?doc_type=procedure&amp;page=2"' in html
    assert _numbers(client.get("/documents/", {"doc_type": "procedure", "page": 2})) == ["SOP-051"]


@pytest.mark.parametrize("reader", ["qa_lead", "trainee"])
def test_list_query_count_stays_the_same_as_documents_grow(signed_in, cast, sop_type, reader):
    client = signed_in(getattr(cast, reader))

    def queries_for(total):
        while sop_type.documents.count() < total:
            _effective(cast, sop_type, f"Procedure {sop_type.documents.count()}")
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/documents/")
        assert len(page.context["rows"]) == total
        return len(queries)

    assert queries_for(3) == queries_for(20)
