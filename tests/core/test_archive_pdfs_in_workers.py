"""On PostgreSQL the archive's PDFs are rendered in worker processes reading the export's
own snapshot; the archive holds the same PDFs, in the same order, as one rendered in the
exporting process."""

import io

import pytest
from django.db import connection
from pypdf import PdfReader

from openqms.core.archive.export import export_archive
from openqms.core.archive.writer import Progress
from openqms.testing import make_cast
from tests.core.archive_records import make_records, parts

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="workers share the snapshot on PostgreSQL only"
)


def _pdf_texts(archive) -> dict[str, list[str]]:
    pdfs = {name: data for name, data in parts(archive).items() if name.startswith("pdf/")}
    return {
        name: [
            line
            for page in PdfReader(io.BytesIO(data)).pages
            for line in page.extract_text().splitlines()
            if "Generated" not in line  # a training record names the moment it was made
        ]
        for name, data in pdfs.items()
    }


def test_pdfs_rendered_in_workers_are_those_rendered_in_one_process(flushable_db, tmp_path):
    make_records(make_cast())
    serial, parallel = tmp_path / "serial.zip", tmp_path / "parallel.zip"
    quiet = Progress(quiet=True)
    export_archive(serial, progress=quiet, workers=1)
    manifest = export_archive(parallel, progress=quiet, workers=2)

    assert manifest["renderings"] == 8
    assert list(_pdf_texts(parallel)) == list(_pdf_texts(serial))
    assert _pdf_texts(parallel) == _pdf_texts(serial)
