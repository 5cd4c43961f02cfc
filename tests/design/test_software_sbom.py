"""SBOMs: read into the SOUP list, diffed against the previous one (added, upgraded,
removed), refused whole when malformed, and new or upgraded items wait for a signed
known-anomaly review in My tasks."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.inbox import tasks_for
from openqms.core.models import Signature
from openqms.design.actions import software
from openqms.design.models import SbomImport, SoupItem, SoupState
from openqms.design.sbom import ingest_sbom
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN
from tests.design.test_software_systems import device, system  # noqa: F401

FILES = Path(__file__).parent / "files"
FIRST = (FILES / "sbom-first.json").read_bytes()
SECOND = (FILES / "sbom-second.json").read_bytes()


def ingest(cast, system, data, name="sbom.json"):  # noqa: F811
    return ingest_sbom(actor=cast.author, system=system, data=data, file_name=name)


def states(system):  # noqa: F811
    return dict(SoupItem.objects.filter(system=system).values_list("name", "state"))


def with_requirements(cast, soup):
    """A SOUP item ready for its anomaly review: its 5.3.3 requirements recorded."""
    if not soup.requirements:
        soup = software.edit_soup(actor=cast.author, soup=soup, requirements="Array maths.")
    return soup


def soup_tasks(user):
    return [t for t in tasks_for(user) if t.kind == "SOUP reviews"]


@pytest.mark.verifies("DES-042")
def test_a_first_sbom_adds_every_component_needing_review(cast, system):  # noqa: F811
    found = ingest(cast, system, FIRST, "sbom-first.json")
    assert (found.components, len(found.summary["added"]), found.spec_version) == (8, 8, "1.5")
    numpy = SoupItem.objects.get(system=system, name="numpy")
    assert (numpy.version, numpy.supplier, numpy.licence) == (
        "1.26.4",
        "NumPy Developers",
        "BSD-3-Clause",
    )
    assert numpy.purl == "pkg:pypi/numpy@1.26.4"
    event = last_event()
    assert event.action == "design.sbom.ingested"
    changes = changes_of(event)
    assert changes["counts"][1] == {"added": 8, "upgraded": 0, "removed": 0, "unchanged": 0}
    assert changes["sha256"][1] == found.sha256 and len(found.sha256) == 64


@pytest.mark.verifies("DES-042")
def test_a_second_sbom_shows_added_upgraded_removed_and_unchanged(cast, system):  # noqa: F811
    ingest(cast, system, FIRST)
    SoupItem.objects.filter(system=system).update(state=SoupState.REVIEWED)
    found = ingest(cast, system, SECOND, "sbom-second.json")
    assert found.summary == {
        "added": [{"name": "py-ecg-detectors", "version": "1.3.5"}],
        "upgraded": [{"name": "scipy", "from": "1.11.4", "to": "1.12.0"}],
        "removed": [{"name": "openssl", "version": "3.0.13"}],
        "unchanged": 6,
        "changed": [
            {
                "name": "scipy",
                "field": "purl",
                "from": "pkg:pypi/scipy@1.11.4",
                "to": "pkg:pypi/scipy@1.12.0",
            }
        ],
    }
    now = states(system)
    assert (now["scipy"], now["py-ecg-detectors"]) == ("needs_review", "needs_review")
    assert (now["openssl"], now["numpy"]) == ("removed", "reviewed")
    assert changes_of(last_event())["upgraded"] == [None, ["scipy 1.11.4 → 1.12.0"]]


@pytest.mark.verifies("DES-042")
@pytest.mark.parametrize(
    "data, problem",
    [
        (b'{"bomFormat": "CycloneDX",\n "specVersion": "1.5", }', "line 2, column"),
        (b'{"bomFormat": "SPDX", "specVersion": "1.5"}', "not a CycloneDX SBOM"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "0.9"}', "specVersion"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "x"}]}',
            "component 1 \\(x\\) has no version",
        ),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_a_malformed_sbom_is_refused_naming_the_problem_and_writes_nothing(
    cast,
    system,  # noqa: F811
    data,
    problem,
):
    ingest(cast, system, FIRST)
    before = (event_count(), SbomImport.objects.count(), states(system))
    with pytest.raises(InvalidInput, match=problem):
        ingest(cast, system, data)
    assert (event_count(), SbomImport.objects.count(), states(system)) == before


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_ingest_an_sbom(cast, system):  # noqa: F811
    before = event_count()
    with pytest.raises(PermissionRefused):
        ingest_sbom(actor=cast.trainee, system=system, data=FIRST, file_name="x.json")
    assert (event_count(), SbomImport.objects.count()) == (before, 0)


@pytest.mark.verifies("DES-031", "DES-041")
def test_a_signed_review_clears_the_soup_task(cast, system):  # noqa: F811
    ingest(cast, system, FIRST)
    numpy = with_requirements(cast, SoupItem.objects.get(system=system, name="numpy"))
    assert any("numpy" in t.title for t in soup_tasks(cast.reviewer))
    assert soup_tasks(cast.trainee) == []
    software.review_soup(
        actor=cast.reviewer,
        soup=numpy,
        anomalies="GitHub issues labelled bug for 1.26.4 read.",
        conclusion="None affects our use.",
        credentials=SIGN,
    )
    numpy.refresh_from_db()
    assert (numpy.state, numpy.reviewed_version) == ("reviewed", "1.26.4")
    event = last_event()
    assert event.action == "design.soup.reviewed"
    assert changes_of(event)["state"] == ["needs_review", "reviewed"]
    assert Signature.objects.filter(meaning="soup_reviewed").count() == 1
    assert not any("numpy" in t.title for t in soup_tasks(cast.reviewer))
    assert len(soup_tasks(cast.reviewer)) == 7


@pytest.mark.verifies("DES-041", refusal=True)
def test_a_review_without_the_password_or_twice_is_refused(cast, system):  # noqa: F811
    ingest(cast, system, FIRST)
    numpy = with_requirements(cast, SoupItem.objects.get(system=system, name="numpy"))
    args = {"anomalies": "Read.", "conclusion": "Fine.", "soup": numpy}
    before = event_count()
    with pytest.raises(PermissionRefused):
        software.review_soup(actor=cast.author, credentials=SIGN, **args)
    assert event_count() == before
    software.review_soup(actor=cast.reviewer, credentials=SIGN, **args)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        software.review_soup(actor=cast.reviewer, credentials=SIGN, **args)
    assert event_count() == before


@pytest.mark.verifies("DES-042")
def test_the_command_reads_an_sbom_by_device_and_name(cast, system, tmp_path):  # noqa: F811
    path = tmp_path / "sbom.json"
    path.write_bytes(FIRST)
    out = io.StringIO()
    call_command(
        "evidence",
        "sbom",
        str(path),
        "--system",
        "RhythmCheck / Rhythm analysis",
        "--as",
        "author",
        stdout=out,
    )
    assert "8 components" in out.getvalue() and "8 added" in out.getvalue()
    assert SbomImport.objects.get().imported_by == cast.author


@pytest.mark.verifies("DES-042")
def test_the_command_refuses_an_unknown_user_and_writes_nothing(cast, system, tmp_path):  # noqa: F811
    path = tmp_path / "sbom.json"
    path.write_bytes(json.dumps({"bomFormat": "CycloneDX"}).encode())
    before = event_count()
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "evidence",
            "sbom",
            str(path),
            "--system",
            str(system.pk),
            "--as",
            "nobody",
            stderr=err,
        )
    assert "no active user" in err.getvalue()
    assert event_count() == before
