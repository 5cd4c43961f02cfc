"""The words of PDF and Word originals are found by search, like bodies: only where the
person may see the revision, gone when the file is removed, bounded, and storable."""

import io

import pytest
from django.db import connection

from openqms.documents import actions, originals
from openqms.documents.models import Attachment
from openqms.documents.search import install_search_index, search_documents
from openqms.testing import named
from tests.documents.conftest import SIGN
from tests.documents.original_files import docx, pdf


def _numbers(person, q):
    return sorted(d.number for d in search_documents(person, q))


def _attach(cast, revision, name, data):
    return actions.attach_file(
        actor=cast.author, revision=revision, name=name, content=io.BytesIO(data)
    )


def test_a_pdf_originals_words_are_found(cast, draft):
    _attach(cast, draft, "Flow.pdf", pdf(3, "Autoclave loading pattern"))
    assert Attachment.objects.get().text.startswith("Autoclave loading pattern page 1")
    assert _numbers(cast.author, "autoclave loading") == ["SOP-001"]
    assert _numbers(cast.qa_lead, "pattern page 3") == ["SOP-001"]
    assert _numbers(cast.trainee, "autoclave") == []  # the draft is not theirs to read


def test_an_effective_revisions_original_is_found_by_every_reader(cast, draft):
    _attach(cast, draft, "Flow.pdf", pdf(1, "Autoclave loading pattern"))
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    assert _numbers(cast.trainee, "autoclave") == ["SOP-001"]


def test_a_removed_originals_words_are_no_longer_found(cast, draft):
    attachment = _attach(cast, draft, "Annex.docx", docx("Ethylene oxide residues."))
    assert _numbers(cast.author, "ethylene") == ["SOP-001"]
    actions.remove_attachment(actor=cast.author, attachment=attachment)
    assert _numbers(cast.author, "ethylene") == []


def test_other_files_are_not_read_for_search(cast, draft):
    _attach(cast, draft, "Notes.txt", b"Ethylene oxide")
    assert Attachment.objects.get().text == ""
    assert _numbers(cast.author, "ethylene") == []


def test_the_text_kept_is_bounded(cast, draft):
    _attach(cast, draft, "Long.docx", docx("word " * (originals.TEXT_LIMIT // 3)))
    text = Attachment.objects.get().text
    assert len(text) == originals.TEXT_LIMIT and text.startswith("word word")


def test_the_text_kept_holds_nothing_an_engine_refuses(cast, draft):
    _attach(cast, draft, "Nul.pdf", pdf(1, "before\x00after"))
    assert Attachment.objects.get().text == "before after page 1"


def test_the_originals_index_is_rebuilt_after_a_table_rebuild(cast, draft):
    """SQLite: a schema migration that rebuilds documents_attachment drops its triggers;
    post_migrate puts them back and reindexes."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL alters tables in place")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER documents_attachment_fts_insert")
    _attach(cast, draft, "Annex.docx", docx("Ethylene oxide residues."))
    assert _numbers(cast.author, "ethylene") == []  # not indexed while the trigger is gone
    install_search_index(connection)
    assert _numbers(cast.author, "ethylene") == ["SOP-001"]
