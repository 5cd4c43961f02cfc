"""A revision made effective at 00:30 BST on 1 July 2026 (23:30 UTC on 30 June) was
effective on 1 July in the PDF and on the pages: the instance's day, not UTC's."""

import datetime as dt

import pytest

from openqms.documents.models import Revision
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import pages

HALF_PAST_MIDNIGHT_BST = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def made_effective(settings, effective):
    assert settings.TIME_ZONE == "Europe/London"
    Revision.objects.filter(pk=effective.pk).update(became_effective_at=HALF_PAST_MIDNIGHT_BST)
    effective.refresh_from_db()
    return effective


def test_the_pdf_header_gives_the_local_day(made_effective):
    first = pages(render_revision(made_effective))[0]
    assert "Revision A · effective 2026-07-01" in first
    assert "2026-06-30" not in first


def test_the_document_and_revision_pages_give_the_local_day(signed_in, cast, made_effective):
    client = signed_in(cast.trainee)
    for path in ("/documents/SOP-001/", "/documents/SOP-001/A/", "/documents/"):
        html = client.get(path).content.decode()
        assert "1 Jul 2026" in html and "30 Jun 2026" not in html, path


def test_signature_times_name_the_zone_and_give_utc(cast, made_effective):
    signatures = pages(render_revision(made_effective))[-1]
    lines = [s for s in signatures.splitlines() if "· version A ·" in s]
    assert len(lines) == 2
    for line in lines:
        assert (" GMT (" in line or " BST (" in line) and " UTC) · version A" in line


def test_a_legacy_import_gives_its_legacy_effective_date(made_effective):
    Revision.objects.filter(pk=made_effective.pk).update(
        imported_from="SOP-001 Document control.md", effective_date=dt.date(2019, 5, 1)
    )
    made_effective.refresh_from_db()
    assert "Revision A · effective 2019-05-01" in pages(render_revision(made_effective))[0]
