"""A body stored before the depth limit, 40 levels deep, still shows on its page and
prints (200, not 500): as written, whole, after a note saying why."""

import pytest
from fpdf.errors import FPDFException

from openqms.core.pdf import ControlledPDF
from openqms.documents.models import Revision
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import flat, text

DEEP_LIST = "".join("  " * level + f"- level {level}\n" for level in range(40))
DEEP_QUOTE = "> " * 40 + "quoted at the bottom"
NOTE = "nests lists or quotes more than 10 levels deep"


@pytest.fixture(params=[DEEP_LIST, DEEP_QUOTE], ids=["list", "quote"])
def deep(request, effective):
    Revision.objects.filter(pk=effective.pk).update(body=request.param)  # as stored before
    return request.param


def test_the_revision_page_shows_it_as_written(signed_in, cast, deep):
    page = signed_in(cast.trainee).get("/documents/SOP-001/A/")
    html = page.content.decode()
    assert page.status_code == 200 and NOTE in html
    assert ("level 39" in html) if deep == DEEP_LIST else ("quoted at the bottom" in html)


def test_the_controlled_pdf_prints_it_as_written(signed_in, cast, deep):
    response = signed_in(cast.trainee).get("/documents/SOP-001/A/pdf/")
    assert response.status_code == 200
    printed = flat(text(response.content))
    assert NOTE in printed
    assert ("- level 39" in printed) if deep == DEEP_LIST else ("quoted at the bottom" in printed)


def test_a_body_fpdf2_cannot_lay_out_still_prints_as_written(monkeypatch, cast, effective):
    def fail(*args, **kwargs):
        raise FPDFException("Not enough horizontal space to render a single character")

    monkeypatch.setattr(ControlledPDF, "write_html", fail)
    printed = flat(text(render_revision(effective)))
    assert "This text could not be laid out, so it is shown as written." in printed
    assert "1. Purpose Control documents." in printed and "Electronic signatures" in printed
