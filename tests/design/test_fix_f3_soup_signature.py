"""A signed SOUP review stays intact when an SBOM corrects the component's supplier,
licence or purl (the ingest event lists the correction); a change of requirements sends
a reviewed item back for review, and the review signed again is intact too."""

import json

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.integrity import check_signatures
from openqms.core.models import Signature
from openqms.design.actions import software
from openqms.design.models import SbomImport, SoupItem
from openqms.design.sbom import ingest_sbom
from openqms.testing import changes_of, event_count, events_since, last_event
from tests.design.conftest import SIGN
from tests.design.test_software_sbom import FIRST, soup_tasks, with_requirements
from tests.design.test_software_systems import device, system  # noqa: F401


def ingest(cast, system, data):  # noqa: F811
    return ingest_sbom(actor=cast.author, system=system, data=data, file_name="sbom.json")


def with_numpy(**fields):
    doc = json.loads(FIRST)
    numpy = next(c for c in doc["components"] if c["name"] == "numpy")
    numpy.update(fields)
    return json.dumps(doc).encode()


def review(cast, soup, anomalies="Bug tracker for 1.26.4 read."):
    return software.review_soup(
        actor=cast.reviewer,
        soup=with_requirements(cast, soup),
        anomalies=anomalies,
        conclusion="None affects our use.",
        credentials=SIGN,
    )


@pytest.fixture
def numpy(cast, system):  # noqa: F811
    ingest(cast, system, FIRST)
    soup = review(cast, SoupItem.objects.get(system=system, name="numpy"))
    assert list(check_signatures()) == []
    return soup


@pytest.mark.verifies("DES-041")
def test_a_changed_supplier_is_listed_and_the_review_signature_stays_intact(
    cast,
    system,  # noqa: F811
    numpy,
):
    found = ingest(
        cast,
        system,
        with_numpy(supplier={"name": "NumFOCUS"}, licenses=[{"license": {"id": "MIT"}}]),
    )
    numpy.refresh_from_db()
    assert (numpy.state, numpy.supplier, numpy.licence) == ("reviewed", "NumFOCUS", "MIT")
    event = last_event()
    assert event.action == "design.sbom.ingested"
    assert changes_of(event)["changed"] == [
        None,
        [
            "numpy supplier: “NumPy Developers” → “NumFOCUS”",
            "numpy licence: “BSD-3-Clause” → “MIT”",
        ],
    ]
    assert found.summary["changed"] == [
        {"name": "numpy", "field": "supplier", "from": "NumPy Developers", "to": "NumFOCUS"},
        {"name": "numpy", "field": "licence", "from": "BSD-3-Clause", "to": "MIT"},
    ]
    findings = check_signatures()
    assert (list(findings), findings.checked) == ([], 1)


@pytest.mark.verifies("DES-041")
def test_a_changed_purl_alone_is_listed(cast, system, numpy):  # noqa: F811
    ingest(cast, system, with_numpy(purl="pkg:pypi/numpy@1.26.4?repository=mirror"))
    assert changes_of(last_event())["changed"][1] == [
        "numpy purl: “pkg:pypi/numpy@1.26.4” → “pkg:pypi/numpy@1.26.4?repository=mirror”"
    ]
    assert list(check_signatures()) == []


@pytest.mark.verifies("DES-042")
def test_the_same_sbom_again_lists_no_change(cast, system, numpy):  # noqa: F811
    found = ingest(cast, system, FIRST)
    assert (found.summary["changed"], changes_of(last_event())["changed"]) == ([], [None, []])


@pytest.mark.verifies("DES-041")
def test_new_requirements_send_a_reviewed_item_back_for_review(
    cast,
    system,  # noqa: F811
    numpy,
):
    assert not any("numpy" in t.title for t in soup_tasks(cast.reviewer))
    before = event_count()
    software.edit_soup(actor=cast.author, soup=numpy, requirements="FFT of 4096 points.")
    numpy.refresh_from_db()
    assert (numpy.state, numpy.requirements) == ("needs_review", "FFT of 4096 points.")
    edited, voided = events_since(before)
    assert edited.action == "design.soup.edited"
    assert changes_of(edited) == {
        "state": ["reviewed", "needs_review"],
        "step": "review_again",
        "requirements": ["Array maths.", "FFT of 4096 points."],
    }
    assert voided.action == "core.signature.voided"
    assert any("numpy" in t.title for t in soup_tasks(cast.reviewer))
    assert list(check_signatures()) == []
    # Reviewed again at the same version: the new signature is intact, the old one void.
    review(cast, numpy, anomalies="Bug tracker read again against the new requirements.")
    assert list(check_signatures()) == []
    assert Signature.objects.filter(meaning="soup_reviewed", voided_at__isnull=True).count() == 1
    assert not any("numpy" in t.title for t in soup_tasks(cast.reviewer))


@pytest.mark.verifies("DES-041")
def test_requirements_of_an_item_waiting_for_review_leave_it_waiting(cast, system):  # noqa: F811
    ingest(cast, system, FIRST)
    scipy = SoupItem.objects.get(system=system, name="scipy")
    software.edit_soup(actor=cast.author, soup=scipy, requirements="Filters.")
    event = last_event()
    assert (event.action, changes_of(event)) == (
        "design.soup.edited",
        {"requirements": ["", "Filters."]},
    )
    scipy.refresh_from_db()
    assert scipy.state == "needs_review"


@pytest.mark.verifies("DES-041")
def test_unchanged_requirements_are_refused_and_the_item_stays_reviewed(
    cast,
    system,  # noqa: F811
    numpy,
):
    software.edit_soup(actor=cast.author, soup=numpy, requirements="FFT.")
    review(cast, SoupItem.objects.get(pk=numpy.pk))
    before = event_count()
    with pytest.raises(InvalidInput, match="Nothing changed"):
        software.edit_soup(actor=cast.author, soup=numpy, requirements="FFT.")
    numpy.refresh_from_db()
    assert (numpy.state, event_count(), SbomImport.objects.count()) == ("reviewed", before, 1)
