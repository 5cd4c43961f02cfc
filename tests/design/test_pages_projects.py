"""Design project pages: the list (counts, constant queries), creating a project with its
device and development plan, the project's summary; refusals write nothing; an outsider
meets 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.design.actions import items as design
from openqms.design.models import DesignProject
from openqms.qms.actions.families import create_family
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.devices.conftest import effective_document
from tests.events.conftest import make_device


def queries(client, path: str) -> int:
    """How many queries a page (or an API GET) takes; asked twice at two sizes."""
    client.get(path)  # warm the session and any caches
    with CaptureQueriesContext(connection) as done:
        assert client.get(path).status_code == 200
    return len(done)


@pytest.mark.verifies("DES-001")
def test_the_list_shows_each_project_with_its_counts(cast, project, signed_in):
    need = item(cast, project, "UN-1", "user_need")
    # The engine's two gaps: no design input and no validation for the need.
    assert sorted(need.gaps.values_list("rule", flat=True)) == [
        "need_without_input",
        "need_without_validation",
    ]
    page = signed_in(cast.auditor).get("/design/")
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert (row.name, row.item_count, row.gap_count, row.suspect_count) == ("RhythmCheck", 1, 2, 0)
    assert b"RhythmCheck" in page.content


@pytest.mark.verifies("DES-044")
def test_the_list_takes_the_same_queries_however_many_projects(cast, signed_in):
    client = signed_in(cast.auditor)

    def add(names):
        for name in names:
            project = design.create_project(actor=cast.author, name=name)
            item(cast, project, f"UN-{name}", "user_need")

    add(["P0", "P1"])
    few = queries(client, "/design/")
    add([f"Q{n}" for n in range(10)])
    assert queries(client, "/design/") == few


@pytest.mark.verifies("DES-001")
def test_an_author_creates_a_project_from_the_page(cast, signed_in):
    client = signed_in(cast.author)
    assert client.get("/design/projects/new/").status_code == 200
    response = client.post("/design/projects/new/", {"name": "HeartBeat", "title": "HB 1"})
    project = DesignProject.objects.get()
    assert response.status_code == 302 and response.url == f"/design/projects/{project.pk}/"
    assert last_event().action == "design.project.created"
    assert changes_of(last_event())["name"] == [None, "HeartBeat"]


@pytest.mark.verifies("DES-001")
def test_a_taken_name_is_shown_on_the_form_and_nothing_is_written(cast, project, signed_in):
    before = event_count()
    response = signed_in(cast.author).post("/design/projects/new/", {"name": "rhythmcheck"})
    assert response.status_code == 200
    assert "There is already a project" in response.content.decode()
    assert (DesignProject.objects.count(), event_count()) == (1, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_open_or_post_the_create_page(cast, signed_in):
    client = signed_in(cast.trainee)
    before = event_count()
    assert client.get("/design/projects/new/").status_code == 404
    assert client.post("/design/projects/new/", {"name": "X"}).status_code == 404
    assert (DesignProject.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-001")
def test_the_project_page_summarises_items_by_type(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need")
    item(cast, project, "REQ-1", "design_input")
    page = signed_in(cast.auditor).get(f"/design/projects/{project.pk}/")
    assert page.status_code == 200
    summary = {row["type"].code: row["active"] for row in page.context["summary"]}
    assert (summary["user_need"], summary["design_input"], summary["verification"]) == (1, 1, 0)


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404_on_every_project_page(cast, project, signed_in):
    client = signed_in(cast.outsider)
    for path in ["/design/", f"/design/projects/{project.pk}/", "/design/projects/new/"]:
        assert client.get(path).status_code == 404, path


@pytest.mark.verifies("DES-001")
def test_a_project_names_its_device_and_its_development_plan(cast, signed_in):
    device = make_device(cast, create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm"))
    plan = effective_document(cast, "Design and development plan")
    client = signed_in(cast.author)
    form = client.get("/design/projects/new/").content.decode()
    assert "RhythmCheck" in form and plan.number in form
    client.post(
        "/design/projects/new/",
        {"name": "RhythmCheck", "device": device.pk, "development_plan": plan.pk},
    )
    project = DesignProject.objects.get()
    assert (project.device, project.development_plan) == (device, plan)
    page = client.get(f"/design/projects/{project.pk}/").content.decode()
    assert plan.number in page
