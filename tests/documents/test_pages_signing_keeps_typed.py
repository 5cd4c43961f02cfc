"""A signing form that failed on a wrong password keeps what was typed (the comment, the
retraining decision, the review's outcome), never the password, and only for the page
shown right after the failure."""

from openqms.core.models import Signature
from openqms.documents.models import Document, PeriodicReview, Revision
from openqms.testing import event_count, events_since
from tests.documents.test_no_retraining_decision import _hash, revision_b, trained  # noqa: F401
from tests.documents.test_pages_records import expired  # noqa: F401

WRONG = "not my password 4711"
JUSTIFICATION = "Only a typo in section 3 was corrected."
COMMENT = "Checked against the form template."


def test_a_failed_approval_brings_back_the_comment_and_the_retraining_decision(
    signed_in,
    cast,
    revision_b,  # noqa: F811
):
    client = signed_in(cast.approver)
    shown = _hash(client.get("/documents/SOP-001/B/"))
    before = event_count()
    page = client.post(
        "/documents/SOP-001/B/approve/",
        {
            "password": WRONG,
            "content_hash": shown,
            "reason": COMMENT,
            "no_retraining": "on",
            "justification": JUSTIFICATION,
        },
        follow=True,
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert f">{COMMENT}</textarea>" in html
    assert f">\n{JUSTIFICATION}</textarea>" in html or f">{JUSTIFICATION}</textarea>" in html
    assert 'id="approve-no_retraining" checked>' in html
    assert WRONG not in html
    assert Revision.objects.get(label="B").state == "in_review"
    assert not Signature.objects.filter(meaning="approved", object_version="B").exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_what_was_typed_comes_back_once(signed_in, cast, revision_b):  # noqa: F811
    client = signed_in(cast.approver)
    client.post(
        "/documents/SOP-001/B/approve/",
        {"password": WRONG, "reason": COMMENT, "justification": JUSTIFICATION},
    )
    assert WRONG not in str(dict(client.session))  # not even the session store holds it
    assert COMMENT in client.get("/documents/SOP-001/B/").content.decode()
    again = client.get("/documents/SOP-001/B/").content.decode()
    assert COMMENT not in again and JUSTIFICATION not in again


def test_a_failed_periodic_review_keeps_the_outcome_and_comment(signed_in, cast, effective):
    client = signed_in(cast.reviewer)
    before = event_count()
    page = client.post(
        "/documents/SOP-001/periodic-review/",
        {"outcome": "change_needed", "comment": COMMENT, "password": WRONG},
        follow=True,
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert f">\n{COMMENT}</textarea>" in html or f">{COMMENT}</textarea>" in html
    assert 'value="change_needed" required id="review-outcome_1" checked>' in html
    assert WRONG not in html
    assert not PeriodicReview.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_a_failed_disposal_keeps_the_reason(signed_in, cast, expired):  # noqa: F811
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/documents/retention/SOP-001/dispose/",
        {"reason": "Retention over; no hold.", "password": WRONG},
        follow=True,
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert "Retention over; no hold.</textarea>" in html
    assert WRONG not in html
    assert Document.objects.get().disposed_at is None
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]
