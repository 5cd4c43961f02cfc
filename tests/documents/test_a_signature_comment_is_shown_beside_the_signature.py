"""The comment typed when signing ("Reviewed, fine") is shown beside the signature in the
revision's Signatures list and on the PDF's signature page, and the signing dialog names
the revision once (walk finding 13, issue 10)."""

from openqms.documents import actions
from openqms.documents.pdf import render_revision
from openqms.testing import named
from tests.documents.conftest import SIGN
from tests.documents.pdf_text import flat, pages


def _reviewed(cast, draft, reason: str):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    return actions.take_step(
        actor=cast.reviewer, revision=revision, step="review", credentials=SIGN, reason=reason
    )


def test_the_pdf_signature_page_shows_the_comment(cast, draft):
    signatures = flat(pages(render_revision(_reviewed(cast, draft, "Reviewed, fine")))[-1])
    assert "Riley Reviewer — Reviewed" in signatures
    assert "· valid Comment: “Reviewed, fine” Signed content SHA-256" in signatures


def test_the_signatures_list_shows_the_comment(signed_in, cast, draft):
    _reviewed(cast, draft, "Reviewed, fine")
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert '<span class="signature-comment">Comment: “Reviewed, fine”</span>' in html


def test_a_signature_without_a_comment_shows_none(signed_in, cast, draft):
    revision = _reviewed(cast, draft, "")
    assert "Comment:" not in flat(pages(render_revision(revision))[-1])
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert "signature-comment" not in html


def test_the_signing_dialog_names_the_revision_once(signed_in, cast, draft):
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    html = signed_in(cast.reviewer).get("/documents/SOP-001/A/").content.decode()
    assert "<dt>Record</dt><dd>SOP-001 revision A</dd>" in html
    assert "version A" not in html
