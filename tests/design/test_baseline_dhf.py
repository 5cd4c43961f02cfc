"""The design history file of a baseline: a PDF that opens, and a ZIP whose index holds
the SHA-256 of each of its files."""

import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone
from pypdf import PdfReader

from openqms.design import dhf
from openqms.design import models as dm
from openqms.design.actions import baselines
from openqms.design.actions import items as design
from tests.design.conftest import SIGN, item


def released(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification", title="AF detected within 30 s")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    base = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    # Evidence is written by the evidence area's ingest; here, rows stand in for a run.
    run = dm.TestRun.objects.create(
        project=project,
        baseline=base,
        file_name="junit.xml",
        sha256="0" * 64,
        commit="abc123",
        ingested_at=timezone.now(),
        ingested_by=cast.author,
        cases=1,
        linked=1,
    )
    dm.TestResult.objects.create(
        run=run, item=test, item_version=1, case="test_TEST_1", outcome="passed"
    )
    baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    base.refresh_from_db()
    return base


@pytest.mark.verifies("DES-030")
def test_the_dhf_pdf_opens_and_names_the_baseline_its_items_and_signature(cast, project):
    base = released(cast, project)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(dhf.pdf_bytes(base, cast.auditor))).pages
    )
    assert "release 1.0" in text
    assert "TEST-1" in text and "AF detected within 30 s" in text
    assert "abc123" in text
    assert "Baseline signed" in text


@pytest.mark.verifies("DES-030")
def test_the_dhf_zip_lists_its_files_with_their_sha256(cast, project):
    base = released(cast, project)
    archive = zipfile.ZipFile(io.BytesIO(dhf.zip_bytes(base, cast.auditor)))
    names = archive.namelist()
    assert names == ["dhf.pdf", "items.csv", "links.csv", "test-results.csv", "index.json"]
    index = json.loads(archive.read("index.json"))
    assert index["digest"] == base.digest
    for name, sha in index["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == sha
    assert "TEST-1,verifies,REQ-1,no" in archive.read("links.csv").decode()
    assert "test_TEST_1,TEST-1,1,passed" in archive.read("test-results.csv").decode()
