"""Software pages: every page opens for a reader, lists keep a constant number of
queries, an outsider meets 404, the SBOM upload and the signed SOUP review work from the
page (POST-redirect-GET)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.signatures import content_hash
from openqms.design.actions import software
from openqms.design.models import SbomImport, SoupItem
from openqms.design.sbom import ingest_sbom
from openqms.testing import PASSWORD, event_count, last_event
from tests.design.test_software_sbom import with_requirements
from tests.design.test_software_systems import device, make_system, system  # noqa: F401

FIRST = (Path(__file__).parent / "files" / "sbom-first.json").read_bytes()


def pages(system):  # noqa: F811
    sbom = ingest_sbom(actor=system.created_by, system=system, data=FIRST, file_name="a.json")
    soup = SoupItem.objects.filter(system=system).first()
    pr = software.report_problem(
        actor=system.created_by, system=system, title="Crash", description="On import."
    )
    return [
        "/design/software/",
        f"/design/software/{system.pk}/",
        f"/design/software/{system.pk}/problems/",
        f"/design/software/{system.pk}/soup/",
        f"/design/software/{system.pk}/sboms/",
        f"/design/problems/{pr.pk}/",
        f"/design/soup/{soup.pk}/",
        f"/design/sboms/{sbom.pk}/",
    ]


@pytest.mark.verifies("DES-007", refusal=True)
def test_every_page_opens_for_an_auditor_and_is_404_for_an_outsider(cast, system, signed_in):  # noqa: F811
    urls = pages(system)
    auditor = signed_in(cast.auditor)
    for url in urls:
        assert auditor.get(url).status_code == 200, url
    outsider = signed_in(cast.outsider)
    for url in urls:
        assert outsider.get(url).status_code == 404, url


def count(client, url):
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


@pytest.mark.verifies("DES-044")
@pytest.mark.parametrize("which", ["systems", "soup", "problems"])
def test_lists_take_the_same_queries_however_many_rows(cast, device, signed_in, which):  # noqa: F811
    first = make_system(cast, device, name="S0")
    url = {
        "systems": "/design/software/",
        "soup": f"/design/software/{first.pk}/soup/",
        "problems": f"/design/software/{first.pk}/problems/",
    }[which]

    def grow(n):
        for i in range(n):
            make_system(cast, device, name=f"S{i + 1}-{which}-{count_rows[0]}")
            software.report_problem(actor=cast.author, system=first, title=f"P{i}", description="x")
            count_rows[0] += 1

    count_rows = [0]
    ingest_sbom(actor=cast.author, system=first, data=FIRST, file_name="a.json")
    client = signed_in(cast.auditor)
    grow(1)
    count(client, url)
    few = count(client, url)
    grow(4)
    assert count(client, url) == few


@pytest.mark.verifies("DES-042")
def test_the_sbom_is_uploaded_from_the_page(cast, system, signed_in):  # noqa: F811
    client = signed_in(cast.author)
    upload = SimpleUploadedFile("sbom.json", FIRST, content_type="application/json")
    response = client.post(f"/design/software/{system.pk}/sboms/upload/", {"file": upload})
    found = SbomImport.objects.get()
    assert response.status_code == 302 and response.url == f"/design/sboms/{found.pk}/"
    page = client.get(response.url).content.decode()
    assert "8 added" in page and "numpy" in page


@pytest.mark.verifies("DES-042")
def test_a_bad_upload_is_shown_and_writes_nothing(cast, system, signed_in):  # noqa: F811
    client = signed_in(cast.author)
    before = event_count()
    upload = SimpleUploadedFile("sbom.json", b"{nope", content_type="application/json")
    response = client.post(f"/design/software/{system.pk}/sboms/upload/", {"file": upload})
    assert response.status_code == 302
    assert "not valid JSON at line 1" in client.get(response.url).content.decode()
    assert (event_count(), SbomImport.objects.count()) == (before, 0)


@pytest.mark.verifies("DES-041")
def test_the_review_is_signed_from_the_soup_page(cast, system, signed_in):  # noqa: F811
    ingest_sbom(actor=cast.author, system=system, data=FIRST, file_name="a.json")
    soup = with_requirements(cast, SoupItem.objects.get(system=system, name="scipy"))
    client = signed_in(cast.reviewer)
    assert "Sign the anomaly review" in client.get(f"/design/soup/{soup.pk}/").content.decode()
    response = client.post(
        f"/design/soup/{soup.pk}/review/",
        {
            "password": PASSWORD,
            "content_hash": content_hash(soup.signature_content()),
            "anomalies": "Release notes read.",
            "conclusion": "No impact.",
        },
    )
    assert response.status_code == 302
    soup.refresh_from_db()
    assert soup.state == "reviewed"
    assert last_event().action == "design.soup.reviewed"


@pytest.mark.verifies("DES-006", refusal=True)
def test_an_auditor_cannot_post_a_change(cast, system, signed_in):  # noqa: F811
    client = signed_in(cast.auditor)
    before = event_count()
    response = client.post(
        f"/design/software/{system.pk}/evidence/", {"code": "requirements", "note": "x"}
    )
    assert response.status_code == 404
    assert event_count() == before
