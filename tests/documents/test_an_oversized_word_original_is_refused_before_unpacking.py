"""Review finding 1: the zip-bomb guard checked only word/document.xml, so an 83 KB .docx
whose word/styles.xml held 80 MB of blanks kept a worker busy for minutes (upload, every
page view, every PDF, the migration). Every member is now checked before mammoth reads
anything: the text parts together, all parts together and each part's ratio. Such a file
is refused at attach (nothing written), and one already stored is never converted."""

import io
import re
import zipfile

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.models import StoredFile
from openqms.documents import actions, originals
from openqms.documents.models import Attachment
from openqms.testing import event_count
from tests.documents.original_files import docx


def _with_part(name: str, size: int) -> bytes:
    """A real Word file with one extra part of `size` blanks (it zips to a few KB)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx("Clean the line."))) as small,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in small.infolist():
            z.writestr(info, small.read(info))
        z.writestr(name, b" " * size)
    return out.getvalue()


STYLES_BOMB = _with_part("word/styles.xml", 30 * (1 << 20))  # over the 25 MB of text parts
RATIO_BOMB = _with_part("word/numbering.xml", 3 * (1 << 20))  # 3 MB, 1000:1


@pytest.mark.verifies("DOC-020", refusal=True)
def test_a_styles_bomb_is_refused_at_attach_and_nothing_is_written(cast, draft):
    assert len(STYLES_BOMB) < 100_000
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.attach_file(
            actor=cast.author, revision=draft, name="Bomb.docx", content=io.BytesIO(STYLES_BOMB)
        )
    assert refused.value.message == (
        "“Bomb.docx” cannot be kept as an original: its text parts unpack to 30 MB, more than "
        "25 MB. Split it, or attach it as a zip or another format that is kept without being "
        "read."
    )
    assert refused.value.fields == {"file": "Too large to read."}
    assert not Attachment.objects.exists() and event_count() == before


def test_a_part_that_unpacks_a_thousand_times_larger_is_refused(cast, draft):
    problem = originals.docx_problem(RATIO_BOMB)
    assert re.fullmatch(  # the ratio is zlib's (about 1000)
        r"its part word/numbering\.xml unpacks (\d+) times larger than it is stored "
        r"\(a zip bomb\?\)",
        problem,
    )
    assert int(re.search(r"\d+", problem)[0]) > 900
    with pytest.raises(InvalidInput):
        actions.attach_file(
            actor=cast.author, revision=draft, name="Bomb.docx", content=io.BytesIO(RATIO_BOMB)
        )
    assert not Attachment.objects.exists()


def test_a_stored_bomb_is_never_converted(monkeypatch, cast, draft):
    """One kept before this check (or by the migration) is neither read nor converted."""
    read = []
    monkeypatch.setattr(originals.mammoth, "convert_to_html", lambda *a, **k: read.append(a))
    monkeypatch.setattr(originals.mammoth, "extract_raw_text", lambda *a, **k: read.append(a))
    assert originals.text_of("Bomb.docx", STYLES_BOMB) == ""
    with pytest.raises(ValueError, match="its text parts unpack to 30 MB"):
        originals._convert_docx(STYLES_BOMB)
    assert read == []


def test_an_ordinary_word_file_is_still_read(cast, draft):
    data = docx("Clean the line.")
    assert originals.docx_problem(data) is None
    attachment = actions.attach_file(
        actor=cast.author, revision=draft, name="Line.docx", content=io.BytesIO(data)
    )
    assert attachment.text == "Clean the line."
    assert StoredFile.objects.count() == 1
