"""A document's life through the pages: create, write, submit, review, approve, revise."""

import re

from openqms.core.models import Signature
from openqms.documents.models import Document, Revision
from openqms.testing import PASSWORD, event_count, events_since


def _named(cast) -> dict:
    return {
        "reviewer_1": cast.reviewer.pk,
        "approver_1": cast.approver.pk,
        "due_date": "2099-01-01",
    }


def content_hash(page) -> str:
    """The content hash the signing dialog shows (and posts back)."""
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page.content.decode())[1]


def test_a_document_goes_from_draft_to_effective_through_the_pages(signed_in, cast, sop_type):
    client = signed_in(cast.author)
    created = client.post(
        "/documents/new/",
        {
            "doc_type": sop_type.pk,
            "title": "Control of records",
            "clauses": "4.2.5, 4.2.4",
            "change_reason": "New procedure",
            "body": "Draft",
        },
    )
    assert created["Location"] == "/documents/SOP-001/A/edit/"
    editor = client.get("/documents/SOP-001/A/edit/").content.decode()
    based_on = re.search(r'name="based_on" value="([0-9a-f]{64})"', editor)[1]
    saved = client.post(
        "/documents/SOP-001/A/edit/",
        {
            "based_on": based_on,
            "body": "# Purpose\n\nKeep records.",
            "change_summary": "First issue",
            "change_reason": "New procedure",
            "effective_date": "",
            "save": "",
        },
        follow=True,
    )
    assert "Draft saved." in saved.content.decode()
    assert "<h1>Purpose</h1>" in saved.content.decode()
    submitted = client.post("/documents/SOP-001/A/submit/", _named(cast), follow=True)
    assert "Submitted for review to the people you named." in submitted.content.decode()

    client = signed_in(cast.reviewer)
    page = client.get("/documents/SOP-001/A/")
    assert "Sign: Reviewed" in page.content.decode()
    reviewed = client.post(
        "/documents/SOP-001/A/review/",
        {"password": PASSWORD, "content_hash": content_hash(page), "reason": "Fine"},
        follow=True,
    )
    assert "Signed: Reviewed." in reviewed.content.decode()

    client = signed_in(cast.approver)
    page = client.get("/documents/SOP-001/A/")
    before = event_count()
    approved = client.post(
        "/documents/SOP-001/A/approve/",
        {"password": PASSWORD, "content_hash": content_hash(page)},
        follow=True,
    )
    html = approved.content.decode()
    assert "Signed: Approved." in html and "Revision A is now effective." in html
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.revision.approved",
        "documents.revision.effective",
    ]
    document = client.get("/documents/SOP-001/").content.decode()
    assert document.count("✔ valid") == 2 * 2  # the effective revision, and again in the history
    assert "Riley Reviewer</strong> — Reviewed" in document
    assert "Morgan Approver</strong> — Approved" in document
    assert Document.objects.get().clauses == ["4.2.4", "4.2.5"]


def test_author_starts_revision_b_while_a_stays_effective(signed_in, cast, effective):
    client = signed_in(cast.author)
    assert "Start revision" in client.get("/documents/SOP-001/").content.decode()
    started = client.post("/documents/SOP-001/start/", {"change_reason": "Annual review"})
    assert started["Location"] == "/documents/SOP-001/B/edit/"
    page = client.get("/documents/SOP-001/").content.decode()
    assert '<span class="badge state-effective">effective</span>' in page
    assert "Open revision B" in page and "Start revision" not in page
    states = dict(Revision.objects.values_list("label", "state"))
    assert states == {"A": "effective", "B": "draft"}


def test_starting_a_second_open_revision_is_refused(signed_in, cast, effective):
    client = signed_in(cast.author)
    client.post("/documents/SOP-001/start/", {"change_reason": "Annual review"})
    before = event_count()
    refused = client.post(
        "/documents/SOP-001/start/", {"change_reason": "Again"}, follow=True
    ).content.decode()
    assert "already has a revision in progress; finish or return it first." in refused
    assert Revision.objects.count() == 2 and event_count() == before


def test_reviewer_returns_a_revision_to_its_author_with_a_reason(signed_in, cast, draft):
    signed_in(cast.author).post("/documents/SOP-001/A/submit/", _named(cast))
    client = signed_in(cast.reviewer)
    before = event_count()
    refused = client.post("/documents/SOP-001/A/reject/", {"reason": " "}, follow=True)
    assert "Give a reason for this step." in refused.content.decode()
    assert Revision.objects.get().state == "in_review" and event_count() == before
    returned = client.post("/documents/SOP-001/A/reject/", {"reason": "Add scope"}, follow=True)
    # The reviewer no longer sees a draft, so they land on the list.
    assert returned.redirect_chain == [("/documents/", 302)]
    assert "Returned to the author." in returned.content.decode()
    assert Revision.objects.get().state == "draft"
    assert [e.action for e in events_since(before)] == ["documents.revision.rejected"]


def test_qa_lead_withdraws_a_document_and_its_revision_becomes_obsolete(signed_in, cast, effective):
    client = signed_in(cast.qa_lead)
    page = client.post(
        "/documents/SOP-001/withdraw/", {"reason": "Merged into SOP-002"}, follow=True
    ).content.decode()
    assert "Document withdrawn; its revisions are kept as obsolete." in page
    assert "Nothing is in force: the document is withdrawn." in page
    assert '<span class="badge state-obsolete">obsolete</span>' in page
    assert "Withdraw</button>" not in page and "Start revision" not in page
    assert Signature.objects.filter(voided_at__isnull=True).count() == 2
