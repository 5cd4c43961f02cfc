"""Records through the pages: periodic reviews, the register of external documents,
retention with legal holds and signed disposal, and who reaches them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.documents import actions
from openqms.documents.models import (
    Disposition,
    Document,
    DocumentType,
    ExternalDocument,
    LegalHold,
    PeriodicReview,
    Revision,
)
from openqms.testing import PASSWORD, changes_of, event_count, events_since, named
from tests.documents.conftest import SIGN


def _effective(cast, title, doc_type):
    revision = actions.create_document(
        actor=cast.author, doc_type=doc_type, title=title, body="Text"
    )
    revision = actions.take_step(actor=cast.author, revision=revision, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


def _review_due(number, days):
    Document.objects.filter(number=number).update(
        next_review=timezone.localdate() + dt.timedelta(days=days)
    )


def _shown(day):
    return f"{day.day} {day:%b %Y}"


# -- periodic review ----------------------------------------------------------------------


def test_the_review_list_shows_documents_due_and_marks_the_overdue(signed_in, cast, effective):
    _effective(cast, "Control of records", effective.document.doc_type)
    _effective(cast, "Design control", effective.document.doc_type)
    _review_due("SOP-001", -3)
    _review_due("SOP-002", 10)
    _review_due("SOP-003", 45)  # not yet: beyond 30 days
    html = signed_in(cast.trainee).get("/documents/reviews/").content.decode()
    overdue = timezone.localdate() - dt.timedelta(days=3)
    assert f'<td>{_shown(overdue)} <span class="badge bad">overdue</span></td>' in html
    due = timezone.localdate() + dt.timedelta(days=10)
    assert f"<td>{_shown(due)}</td>" in html
    assert html.index("SOP-001") < html.index("SOP-002")
    assert "SOP-003" not in html


def test_the_review_list_shows_only_documents_the_reader_may_see(signed_in, cast, effective):
    actions.create_document(actor=cast.qa_lead, doc_type=effective.document.doc_type, title="QA")
    _review_due("SOP-002", 5)  # a draft only: the trainee does not see the document
    assert "SOP-002" not in signed_in(cast.trainee).get("/documents/reviews/").content.decode()
    assert "SOP-002" in signed_in(cast.auditor).get("/documents/reviews/").content.decode()


def test_the_review_list_costs_the_same_queries_however_many_rows(signed_in, cast, effective):
    client = signed_in(cast.trainee)
    _review_due("SOP-001", 1)
    client.get("/documents/reviews/")
    with CaptureQueriesContext(connection) as one:
        client.get("/documents/reviews/")
    for title in ("Records", "Design", "Purchasing"):
        _effective(cast, title, effective.document.doc_type)
    Document.objects.update(next_review=timezone.localdate())
    with CaptureQueriesContext(connection) as four:
        html = client.get("/documents/reviews/").content.decode()
    assert "SOP-004" in html and len(four) == len(one)


def _seen_effective():
    """The content hash the periodic review form shows: the effective revision's."""
    return content_hash(Revision.objects.get(state="effective").signature_content())


def test_a_reviewer_signs_a_periodic_review_on_the_document_page(signed_in, cast, effective):
    client = signed_in(cast.reviewer)
    html = client.get("/documents/SOP-001/").content.decode()
    assert "<h2>Complete periodic review</h2>" in html
    assert "No periodic review yet." in html
    before = event_count()
    page = client.post(
        "/documents/SOP-001/periodic-review/",
        {
            "outcome": "no_change",
            "comment": "Still accurate",
            "password": PASSWORD,
            "content_hash": _seen_effective(),
        },
        follow=True,
    )
    html = page.content.decode()
    assert "Signed: periodic review completed." in html
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.periodic_review.completed",
    ]
    review = PeriodicReview.objects.get()
    assert (review.outcome, review.comment, review.reviewer) == (
        "no_change",
        "Still accurate",
        cast.reviewer,
    )
    assert "<div>No change needed</div>" in html
    assert '<div class="help">Still accurate</div>' in html
    assert "<strong>Riley Reviewer</strong> — Reviewed" in html


def test_a_wrong_password_signs_no_periodic_review(signed_in, cast, effective):
    before = event_count()
    page = signed_in(cast.reviewer).post(
        "/documents/SOP-001/periodic-review/",
        {
            "outcome": "no_change",
            "comment": "Still accurate",
            "password": "not mine",
            "content_hash": _seen_effective(),
        },
        follow=True,
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert "No periodic review yet." in html
    assert (
        not PeriodicReview.objects.exists()
        and not Signature.objects.filter(object_type="documents.periodicreview").exists()
    )
    # The failed attempt itself is recorded (it counts toward lockout); nothing else is.
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_a_periodic_review_without_a_comment_signs_nothing(signed_in, cast, effective):
    before = event_count()
    page = signed_in(cast.reviewer).post(
        "/documents/SOP-001/periodic-review/",
        {
            "outcome": "no_change",
            "comment": "",
            "password": PASSWORD,
            "content_hash": _seen_effective(),
        },
        follow=True,
    )
    assert "Nothing was signed. Comment: This field is required." in page.content.decode()
    assert not PeriodicReview.objects.exists() and event_count() == before


def test_change_needed_starts_the_next_draft_from_the_page(signed_in, cast, effective):
    page = signed_in(cast.qa_lead).post(
        "/documents/SOP-001/periodic-review/",
        {
            "outcome": "change_needed",
            "comment": "Clause 4.2.5 changed",
            "password": PASSWORD,
            "content_hash": _seen_effective(),
        },
        follow=True,
    )
    html = page.content.decode()
    assert "A new revision was started as a draft for the change." in html
    assert effective.document.revisions.get(label="B").state == "draft"


def test_people_who_do_not_review_are_not_offered_the_periodic_review(signed_in, cast, effective):
    client = signed_in(cast.author)
    assert "Complete periodic review" not in client.get("/documents/SOP-001/").content.decode()
    before = event_count()
    page = client.post(
        "/documents/SOP-001/periodic-review/",
        {
            "outcome": "no_change",
            "comment": "Fine",
            "password": PASSWORD,
            "content_hash": _seen_effective(),
        },
        follow=True,
    )
    assert "You need the permission “Review revisions” to do this." in page.content.decode()
    assert not PeriodicReview.objects.exists() and event_count() == before


# -- external documents -------------------------------------------------------------------


def test_qa_registers_an_external_document_on_the_register(signed_in, cast):
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post(
        "/documents/external/",
        {
            "reference": "ISO 13485:2016",
            "title": "Medical devices — QMS",
            "edition": "2016",
            "source": "BSI",
        },
        follow=True,
    )
    html = page.content.decode()
    assert page.redirect_chain == [("/documents/external/", 302)]
    assert "ISO 13485:2016 registered." in html
    assert (
        "<td>ISO 13485:2016</td>\n      <td>Medical devices — QMS</td>\n      <td>2016</td>\n"
        "      <td>BSI</td>\n      <td>never</td>\n      <td>—</td>"
    ) in html
    assert [e.action for e in events_since(before)] == ["documents.external.added"]


def test_a_reference_already_registered_is_refused_on_the_form(signed_in, cast):
    actions.register_external_document(
        actor=cast.qa_lead, reference="ISO 14971:2019", title="Risk management"
    )
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/documents/external/", {"reference": "iso 14971:2019", "title": "Again"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "“iso 14971:2019” is already in the register." in html
    assert '<small class="problem">Already registered.</small>' in html
    assert ExternalDocument.objects.count() == 1 and event_count() == before


def test_qa_records_a_check_of_an_external_document(signed_in, cast):
    document = actions.register_external_document(
        actor=cast.qa_lead, reference="SI 2002/618", title="UK MDR 2002", edition="2002"
    )
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        f"/documents/external/{document.pk}/check/",
        {"edition": "2002 as amended", "notes": "Checked legislation.gov.uk"},
        follow=True,
    )
    html = page.content.decode()
    assert "Check of SI 2002/618 recorded." in html
    assert '<span class="badge bad">not current</span>' in html
    assert f"<td>{_shown(timezone.localdate())}</td>\n      <td>Quinn Avery</td>" in html
    [event] = events_since(before)
    assert event.action == "documents.external.checked"
    assert changes_of(event)["is_current"] == [True, False]


def test_a_reader_sees_the_register_without_its_forms(signed_in, cast):
    actions.register_external_document(actor=cast.qa_lead, reference="IEC 62304", title="SW")
    html = signed_in(cast.trainee).get("/documents/external/").content.decode()
    assert "<td>IEC 62304</td>" in html
    assert "Record a check" not in html and "Register an external document" not in html


def test_a_reader_cannot_change_the_register_by_posting(signed_in, cast):
    document = actions.register_external_document(
        actor=cast.qa_lead, reference="IEC 62304", title="SW", edition="2006"
    )
    client = signed_in(cast.author)
    before = event_count()
    page = client.post("/documents/external/", {"reference": "X", "title": "Y"})
    refusal = "You need the permission “Keep the register of external documents” to do this."
    assert refusal in page.content.decode()
    page = client.post(f"/documents/external/{document.pk}/check/", {"edition": "x"}, follow=True)
    assert refusal in page.content.decode()
    document.refresh_from_db()
    assert (document.edition, document.last_checked) == ("2006", None)
    assert ExternalDocument.objects.count() == 1 and event_count() == before


# -- retention, legal holds, disposal -----------------------------------------------------


@pytest.fixture
def expired(cast, effective):
    """SOP-001, withdrawn eleven years ago under a ten-year retention."""
    DocumentType.objects.filter(pk=effective.document.doc_type_id).update(retention_years=10)
    actions.withdraw_document(actor=cast.qa_lead, document=effective.document, reason="Retired")
    Document.objects.filter(pk=effective.document_id).update(
        withdrawn_at=timezone.now() - dt.timedelta(days=11 * 366)
    )
    return Document.objects.get(pk=effective.document_id)


def _dispose(client, password=PASSWORD):
    shown = content_hash(actions.disposal_content(Document.objects.get(number="SOP-001")))
    return client.post(
        "/documents/retention/SOP-001/dispose/",
        {"reason": "Retention ended", "password": password, "content_hash": shown},
        follow=True,
    )


def test_retention_lists_withdrawn_documents_with_their_retention_end(signed_in, cast, expired):
    html = signed_in(cast.qa_lead).get("/documents/retention/").content.decode()
    ends = actions.retention_ends(expired)
    assert f"<td>{_shown(ends)}</td>" in html
    assert "<summary>Dispose of…</summary>" in html
    assert "Sign: dispose of SOP-001" in html


def test_qa_disposes_of_a_document_past_its_retention_with_a_signature(signed_in, cast, expired):
    before = event_count()
    page = _dispose(signed_in(cast.qa_lead))
    html = page.content.decode()
    assert "Signed: SOP-001 disposed of." in html
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.document.disposed",
    ]
    assert Disposition.objects.get().reason == "Retention ended"
    assert "No withdrawn documents." in html
    assert "<strong>Quinn Avery</strong> — Disposal approved" in html


def test_a_wrong_password_disposes_of_nothing(signed_in, cast, expired):
    before = event_count()
    html = _dispose(signed_in(cast.qa_lead), password="not mine").content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert not Disposition.objects.exists()
    expired.refresh_from_db()
    assert expired.disposed_at is None
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_a_legal_hold_placed_on_the_page_stops_disposal_until_released(signed_in, cast, expired):
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post(
        "/documents/retention/", {"number": "sop-001", "reason": "Litigation, lot 42"}, follow=True
    )
    html = page.content.decode()
    assert "Legal hold placed on SOP-001." in html
    assert '<span class="badge bad">legal hold</span>' in html
    assert "Dispose of…" not in html and "<td>Litigation, lot 42</td>" in html
    assert [e.action for e in events_since(before)] == ["documents.hold.placed"]

    before = event_count()
    html = _dispose(client).content.decode()
    assert "SOP-001 is under a legal hold." in html
    assert not Disposition.objects.exists() and event_count() == before

    hold = LegalHold.objects.get()
    page = client.post(
        f"/documents/retention/holds/{hold.pk}/release/", {"reason": "Case closed"}, follow=True
    )
    html = page.content.decode()
    assert "Legal hold on SOP-001 released." in html and "No legal holds." in html
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason) == (cast.qa_lead, "Case closed")
    assert "Signed: SOP-001 disposed of." in _dispose(client).content.decode()


def test_a_hold_on_an_unknown_document_is_refused_on_the_form(signed_in, cast, expired):
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/documents/retention/", {"number": "SOP-999", "reason": "x"}
    )
    assert "There is no document “SOP-999”." in page.content.decode()
    assert not LegalHold.objects.exists() and event_count() == before


def test_a_document_still_in_retention_is_not_offered_for_disposal(signed_in, cast, expired):
    Document.objects.filter(pk=expired.pk).update(withdrawn_at=timezone.now())
    client = signed_in(cast.qa_lead)
    html = client.get("/documents/retention/").content.decode()
    assert '<span class="help">in retention</span>' in html and "Dispose of…" not in html
    before = event_count()
    ends = actions.retention_ends(Document.objects.get(pk=expired.pk))
    said = (
        f"SOP-001 must be kept until {ends:%d %b %Y} (rule: 10 years after the record is closed)."
    )
    assert said in _dispose(client).content.decode()
    assert not Disposition.objects.exists() and event_count() == before


@pytest.mark.parametrize("role", ["author", "auditor", "trainee"])
def test_retention_is_not_found_for_people_without_the_right(signed_in, cast, expired, role):
    hold = actions.place_legal_hold(actor=cast.qa_lead, document=expired, reason="Keep")
    client = signed_in(getattr(cast, role))
    before = event_count()
    assert client.get("/documents/retention/").status_code == 404
    assert (
        client.post("/documents/retention/", {"number": "SOP-001", "reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(f"/documents/retention/holds/{hold.pk}/release/", {"reason": "x"}).status_code
        == 404
    )
    assert _dispose(client).status_code == 404
    hold.refresh_from_db()
    assert hold.released_at is None and LegalHold.objects.count() == 1
    assert not Disposition.objects.exists() and event_count() == before


# -- navigation and who reaches these pages -----------------------------------------------


def test_the_documents_list_links_to_the_record_pages(signed_in, cast, effective):
    html = signed_in(cast.trainee).get("/documents/").content.decode()
    assert '<a href="/documents/reviews/">Periodic reviews</a>' in html
    assert '<a href="/documents/external/">External documents</a>' in html
    assert "/documents/retention/" not in html
    html = signed_in(cast.qa_lead).get("/documents/").content.decode()
    assert '<a href="/documents/retention/">Retention</a>' in html


@pytest.mark.parametrize(
    "path", ["/documents/reviews/", "/documents/external/", "/documents/retention/"]
)
def test_outsider_gets_not_found_on_every_records_page(signed_in, cast, effective, path):
    assert signed_in(cast.outsider).get(path).status_code == 404


def test_outsider_changes_no_record_by_posting(signed_in, cast, expired):
    document = actions.register_external_document(actor=cast.qa_lead, reference="X", title="Y")
    hold = actions.place_legal_hold(actor=cast.qa_lead, document=expired, reason="Keep")
    client = signed_in(cast.outsider)
    before = event_count()
    data = {"reference": "Z", "title": "Z", "number": "SOP-001", "reason": "x", "comment": "x"}
    data |= {"outcome": "no_change", "password": PASSWORD, "is_current": "on"}
    for path in (
        "/documents/SOP-001/periodic-review/",
        "/documents/external/",
        f"/documents/external/{document.pk}/check/",
        "/documents/retention/",
        f"/documents/retention/holds/{hold.pk}/release/",
        "/documents/retention/SOP-001/dispose/",
    ):
        assert client.post(path, data).status_code == 404, path
    assert event_count() == before
    assert ExternalDocument.objects.get().last_checked is None
    assert LegalHold.objects.get().released_at is None and not Disposition.objects.exists()
    assert not PeriodicReview.objects.exists()
