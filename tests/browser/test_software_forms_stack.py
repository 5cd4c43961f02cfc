"""Issue 13 walk, in Chromium: the software pages' forms were laid out inline (a label
and its field side by side, wrapping at random) and cramped at 1280 px. Each field now
sits under its label, as on the other design forms, at 1280 px and on a 390 px phone,
and no form is wider than the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from openqms.design.actions import software
from openqms.design.models import SoupItem
from openqms.design.sbom import ingest_sbom
from openqms.devices import actions as devices
from openqms.devices.models import DeviceClass
from openqms.qms.actions.families import create_family
from openqms.testing import make_cast
from tests.browser.test_document_journey import sign_in
from tests.design.test_software_systems import make_system

FIRST = (Path(__file__).parent.parent / "design" / "files" / "sbom-first.json").read_bytes()
SHOTS = Path("/work/notes/out/shots-import")


def beside_its_label(page: Page) -> list[str]:
    """The names of visible fields (in every form but the filters) that start on the
    same line as their label, or have no label at all."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            'main form:not(.filters) :is(input, select, textarea)')]
        .filter(f => !['hidden', 'checkbox', 'radio', 'submit'].includes(f.type))
        .filter(f => f.getBoundingClientRect().width > 0)
        .filter(f => !f.labels.length ||
          f.getBoundingClientRect().top - f.labels[0].getBoundingClientRect().top < 12)
        .map(f => f.name)"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_software_forms_put_each_field_under_its_label(
    flushable_db, django_db_serialized_rollback, new_page, width
):
    cast = make_cast()
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm software")
    device = devices.create_device(
        actor=cast.qa_lead,
        family=family,
        name="RhythmCheck",
        model="2.1",
        intended_purpose="Flags suspected atrial fibrillation in ECG recordings.",
        device_class=DeviceClass.objects.get(code="class_iia"),
        classification_rule="Rule 11",
        classification_justification="Software informing diagnosis.",
        gmdn_code="58264",
        lifetime_years=5,
    )
    system = make_system(cast, device)
    ingest_sbom(actor=cast.author, system=system, data=FIRST, file_name="sbom.json")
    soup = SoupItem.objects.get(system=system, name="numpy")
    problem = software.report_problem(
        actor=cast.author, system=system, title="Missed beat", description="A beat was missed."
    )
    page = new_page({"width": width, "height": 900})
    sign_in(page, "author")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in [
        ("system", f"/design/software/{system.pk}/"),
        ("soup", f"/design/soup/{soup.pk}/"),
        ("sboms", f"/design/software/{system.pk}/sboms/"),
        ("systems", "/design/software/"),
        ("problem", problem.get_absolute_url()),
    ]:
        page.goto(url)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert beside_its_label(page) == [], name
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} is {wide} px wide"
