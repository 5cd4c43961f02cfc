"""Review finding 8: migration 0018 imported openqms.documents.originals and .search, so
any later change to them changed what this historical migration does, and it parsed
every stored original with no limit. It now holds a frozen copy of the reading, with the
limits; the index is built by the post-migrate hook (test_migration_0018_reads_existing_
originals.py runs the whole upgrade)."""

import ast
import importlib
import inspect

from tests.documents.original_files import docx, pdf
from tests.documents.test_an_oversized_word_original_is_refused_before_unpacking import (
    RATIO_BOMB,
    STYLES_BOMB,
)

MIGRATION = importlib.import_module("openqms.documents.migrations.0018_attachment_text")


def test_it_imports_no_openqms_module():
    tree = ast.parse(inspect.getsource(MIGRATION))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert [name for name in imported if name and name.startswith("openqms")] == []


def test_its_frozen_reading_reads_originals_and_skips_bombs():
    assert MIGRATION.text_of("Line.docx", docx("Clear the line.")) == "Clear the line."
    assert "Legacy original page 2" in MIGRATION.text_of("Old.pdf", pdf(2))
    assert MIGRATION.text_of("Bomb.docx", STYLES_BOMB) == ""
    assert MIGRATION.text_of("Bomb.docx", RATIO_BOMB) == ""
