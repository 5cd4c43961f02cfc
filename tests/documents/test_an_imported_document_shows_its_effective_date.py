"""A legacy import shows the date it took effect before OpenQMS, marked as legacy, not
the day of the import: on the revision page, the document page and its History, and in
the list's "Effective since" (one include, documents/includes/effective_date.html)."""

import io

from django.core.management import call_command
from django.utils import timezone

MANIFEST = "file,number,title,type,revision,effective_date,owner\n"


def test_the_legacy_effective_date_is_shown(signed_in, cast, tmp_path):
    (tmp_path / "capa.pdf").write_bytes(b"%PDF-1.4 legacy capa procedure")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST + "capa.pdf,SOP-010,Corrective action,procedure,C,2019-05-01,author\n",
        encoding="utf-8",
    )
    call_command(
        "documents",
        "import",
        str(tmp_path),
        "--owner",
        "qa-lead",
        "--manifest",
        str(tmp_path / "manifest.csv"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    client = signed_in(cast.trainee)
    revision_page = client.get("/documents/SOP-010/C/").content.decode()
    assert "<dt>Effective date</dt><dd>1 May 2019 (legacy)</dd>" in revision_page
    document_page = client.get("/documents/SOP-010/").content.decode()
    assert "<small>since 1 May 2019 (legacy) · " in document_page
    assert "· effective 1 May 2019 (legacy)" in document_page  # its History line
    listing = client.get("/documents/").content.decode()
    assert "<td>1 May 2019 (legacy)</td>" in listing
    today = timezone.localdate().strftime("%-d %b %Y")
    assert f"effective {today}" not in document_page  # not the day of the import
    assert f"<td>{today}</td>" not in listing
