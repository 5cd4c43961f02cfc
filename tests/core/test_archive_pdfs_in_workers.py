"""On PostgreSQL the archive's PDFs are rendered in worker processes reading the export's
own snapshot; the archive holds the same PDFs, in the same order, as one rendered in the
exporting process."""

import datetime as dt
import io

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from openqms.core.archive import export as export_module
from openqms.core.archive.export import _rendered, export_archive, snapshot
from openqms.core.archive.writer import Progress
from openqms.testing import make_cast
from tests.core.archive_records import MADE, make_records, parts, rendering_moments

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
            # a training record names the moment it was made; each archive its own moment
            if "Generated" not in line and not line.startswith(MADE)
        ]
        for name, data in pdfs.items()
    }


def test_pdfs_rendered_in_workers_are_those_rendered_in_one_process(flushable_db, tmp_path):
    make_records(make_cast())
    serial, parallel = tmp_path / "serial.zip", tmp_path / "parallel.zip"
    quiet = Progress(quiet=True)
    one = export_archive(serial, progress=quiet, workers=1)
    two = export_archive(parallel, progress=quiet, workers=2)

    assert two["renderings"] == one["renderings"] > 0
    assert list(_pdf_texts(parallel)) == list(_pdf_texts(serial))
    assert _pdf_texts(parallel) == _pdf_texts(serial)
    assert len(rendering_moments(serial)) == len(rendering_moments(parallel)) == 1


def test_workers_date_their_renderings_with_the_exports_moment(flushable_db, tmp_path, monkeypatch):
    """The workers are other processes with their own clocks: they print the moment the
    export took its snapshot, which the parent hands them, not the time they render."""
    make_records(make_cast())
    moment = dt.datetime(2031, 2, 3, 4, 5, tzinfo=dt.UTC)
    monkeypatch.setattr(export_module.timezone, "now", lambda: moment)
    export_archive(tmp_path / "parallel.zip", progress=Progress(quiet=True), workers=2)

    stamp = timezone.localtime(moment)
    assert rendering_moments(tmp_path / "parallel.zip") == {f"{MADE}{stamp:%Y-%m-%d %H:%M %Z}"}


def _probe_rows() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM archive_snapshot_probe")
        return str(cursor.fetchone()[0]).encode()


def test_a_worker_sees_the_export_snapshot_not_what_is_committed_after_it(flushable_db):
    other = psycopg.connect(**_libpq(connection.settings_dict), autocommit=True)
    other.execute("CREATE TABLE archive_snapshot_probe (n integer)")
    try:
        other.execute("INSERT INTO archive_snapshot_probe VALUES (1)")
        with snapshot():
            assert _probe_rows() == b"1"  # the export's first read fixes its snapshot
            other.execute("INSERT INTO archive_snapshot_probe VALUES (2)")
            jobs = iter([("worker", _probe_rows)])
            assert list(_rendered(jobs, 2)) == [("worker", b"1")]
            assert _probe_rows() == b"1"
    finally:
        other.execute("DROP TABLE archive_snapshot_probe")
        other.close()


def _libpq(settings: dict) -> dict:
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
