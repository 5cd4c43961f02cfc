"""A signature voided on purpose (its revision went back to draft) prints as
"voided — <reason>", on the PDF and the page; BROKEN is kept for tampering (issue 10)."""

from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.documents.pdf import render_revision
from openqms.testing import named
from tests.documents.conftest import SIGN
from tests.documents.pdf_text import flat, pages


def _returned(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="reject", reason="Section 3 is missing"
    )


def test_a_voided_signature_prints_voided_with_its_reason(cast, draft):
    signatures = flat(pages(render_revision(_returned(cast, draft)))[-1])
    assert "Riley Reviewer — Reviewed" in signatures
    assert "· voided — Returned to draft" in signatures
    assert "BROKEN" not in signatures


def test_the_page_shows_it_voided_not_broken(signed_in, cast, draft):
    _returned(cast, draft)
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert "voided — Returned to draft" in html
    assert "✖ broken" not in html


def test_content_changed_after_signing_still_prints_broken(cast, effective):
    Revision.objects.filter(pk=effective.pk).update(body="Tampered.")
    effective.refresh_from_db()
    signatures = flat(pages(render_revision(effective))[-1])
    assert "BROKEN: the content changed after signing" in signatures
