"""Signing in the dialog: a wrong password, a changed record and self-approval sign nothing."""

import re

from openqms.core.models import Signature
from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import PASSWORD, changes_of, event_count, events_since, named
from tests.documents.conftest import SIGN


def content_hash(page) -> str:
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page.content.decode())[1]


def _in_review(cast, draft):
    return actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))


def test_wrong_password_in_the_dialog_signs_nothing(signed_in, cast, draft):
    _in_review(cast, draft)
    client = signed_in(cast.reviewer)
    shown = content_hash(client.get("/documents/SOP-001/A/"))
    before = event_count()
    page = client.post(
        "/documents/SOP-001/A/review/",
        {"password": "not my password", "content_hash": shown},
        follow=True,
    )
    assert "The password is not correct; nothing was signed." in page.content.decode()
    assert not Signature.objects.exists()
    assert Revision.objects.get().state == "in_review"
    # The failed attempt itself is recorded (it counts toward lockout), naming the record
    # and the meaning it was for; nothing else is.
    [failed] = events_since(before)
    assert failed.action == "core.auth.signing_failed"
    revision = Revision.objects.get()
    assert changes_of(failed) == {
        "failed_sign_ins": [0, 1],
        "record_type": "documents.revision",
        "record_id": str(revision.pk),
        "record": str(revision),
        "meaning": "reviewed",
    }


def test_signing_without_a_password_is_refused(signed_in, cast, draft):
    _in_review(cast, draft)
    before = event_count()
    page = signed_in(cast.reviewer).post("/documents/SOP-001/A/review/", follow=True)
    assert "Signing needs your password." in page.content.decode()
    assert not Signature.objects.exists() and event_count() == before


def test_a_record_changed_since_the_dialog_opened_is_not_signed(signed_in, cast, draft):
    _in_review(cast, draft)
    before = event_count()
    page = signed_in(cast.reviewer).post(
        "/documents/SOP-001/A/review/",
        {"password": PASSWORD, "content_hash": "0" * 64},
        follow=True,
    )
    assert (
        "The record changed after you opened it; nothing was signed. Review it again."
        in page.content.decode()
    )
    assert not Signature.objects.exists() and event_count() == before


def test_author_is_not_offered_approval_of_their_own_revision(signed_in, cast, sop_type):
    revision = actions.create_document(
        actor=cast.qa_lead, doc_type=sop_type, title="Policy", body="Text"
    )
    revision = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="submit", **named(cast)
    )
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    page = signed_in(cast.qa_lead).get("/documents/SOP-001/A/").content.decode()
    assert "Sign: Approved" not in page and "Sign: Reviewed" not in page
    assert "Return to author" in page  # a QA lead may still send it back


def test_self_approval_posted_anyway_is_refused(signed_in, cast, sop_type):
    revision = actions.create_document(
        actor=cast.qa_lead, doc_type=sop_type, title="Policy", body="Text"
    )
    revision = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="submit", **named(cast)
    )
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post(
        "/documents/SOP-001/A/approve/", {"password": PASSWORD}, follow=True
    ).content.decode()
    assert "The author cannot approve their own revision." in page
    assert Revision.objects.get().state == "in_review"
    assert list(Signature.objects.values_list("meaning", flat=True)) == ["reviewed"]
    assert event_count() == before


def test_an_unknown_step_is_refused(signed_in, cast, draft):
    before = event_count()
    page = signed_in(cast.author).post("/documents/SOP-001/A/publish/", follow=True)
    assert "There is no step called “publish”." in page.content.decode()
    assert Revision.objects.get().state == "draft" and event_count() == before


def test_a_step_cannot_be_taken_with_get(signed_in, cast, draft):
    before = event_count()
    assert signed_in(cast.author).get("/documents/SOP-001/A/submit/").status_code == 405
    assert Revision.objects.get().state == "draft" and event_count() == before
