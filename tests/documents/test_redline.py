import hashlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openqms.documents import actions, redline

pytestmark = pytest.mark.verifies("DOC-014")


def test_word_changes_are_marked_removed_and_added():
    segments = redline.compare_text("Sign with ink on paper.", "Sign electronically on paper.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Sign "),
        ("removed", "with ink"),
        ("added", "electronically"),
        ("same", " on paper."),
    ]


@given(old=st.text(max_size=60), new=st.text(max_size=60))
def test_the_redline_holds_both_texts_exactly(old, new):
    segments = redline.compare_text(old, new)
    assert "".join(s.text for s in segments if s.kind != "added") == old
    assert "".join(s.text for s in segments if s.kind != "removed") == new


def test_two_revisions_compare_body_and_metadata(cast, effective):
    b = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Electronic signatures"
    )
    b = actions.edit_draft(
        actor=cast.author,
        revision=b,
        body=effective.body + "\n\nSign.",
        change_summary="Section added",
        change_reason="Electronic signatures",
    )
    result = redline.compare(effective, b)
    assert ("added", "\n\nSign.") in [(s.kind, s.text) for s in result.body]
    assert ("label", "A", "B") in result.metadata
    assert ("state", "effective", "draft") in result.metadata
    assert not result.unchanged
    assert redline.compare(effective, effective).unchanged


def test_attached_files_are_compared_by_name_and_content(cast, effective):
    b = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="New flowchart"
    )
    actions.attach_file(
        actor=cast.author, revision=b, name="flow.pdf", content=io.BytesIO(b"%PDF-1.4 flowchart v2")
    )
    sha = hashlib.sha256(b"%PDF-1.4 flowchart v2").hexdigest()
    result = redline.compare(effective, b)
    assert result.files == [redline.FileChange("added", "flow.pdf", None, sha)]
    assert not result.unchanged
