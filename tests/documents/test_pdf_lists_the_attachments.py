"""The attachments are part of what is signed, so the PDF lists each after the body,
before the signatures: its name, size and SHA-256 (issue 10)."""

import hashlib
import io

from openqms.documents import actions
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import pages

FORM = b"%PDF-1.4 form template " + b"x" * 2000
SHEET = b"PK a spreadsheet"


def test_each_attachment_is_listed_with_its_size_and_sha256(cast, draft):
    for name, data in (("QF-01 Form template.pdf", FORM), ("Calculator.xlsx", SHEET)):
        actions.attach_file(actor=cast.author, revision=draft, name=name, content=io.BytesIO(data))
    printed = pages(render_revision(draft))
    listed = printed[-2].replace("\n", "")
    assert "Attachments" in listed and "SHA-256" in listed
    assert "QF-01 Form template.pdf" in listed and "2.0 KB" in listed
    assert hashlib.sha256(FORM).hexdigest() in listed.replace(" ", "")
    assert "Calculator.xlsx" in listed and "16 bytes" in listed
    assert hashlib.sha256(SHEET).hexdigest() in listed.replace(" ", "")
    assert "Electronic signatures" in printed[-1]


def test_a_revision_without_attachments_says_none(cast, draft):
    first = pages(render_revision(draft))[0]
    assert "Attachments\nNone." in first
