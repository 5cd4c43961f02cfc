"""Item pages: the list's filters and pages (constant queries), the item with its text as
Markdown, links and gaps, create, edit (a stale save keeps what was typed and writes
nothing), retire with a reason; refusals write nothing; an outsider meets 404."""

import pytest

from openqms.design.actions import items as design
from openqms.design.models import Gap, Item, ItemState
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.design.test_pages_projects import queries


@pytest.mark.verifies("DES-009")
def test_the_list_filters_by_type_text_gaps_and_suspect_links(cast, project, signed_in):
    need = item(cast, project, "UN-1", "user_need", title="See AF episodes")
    req = item(cast, project, "REQ-1", "design_input", title="Detect AF")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="Detect AF", text_="Clarified."
    )
    item(cast, project, "SPEC-1", "design_output")  # no gap rule applies to it alone
    # The engine's gaps: the need has no input, the edited input and the test a suspect
    # link, the test no evidence.
    assert set(Gap.objects.values_list("item__uid", flat=True)) == {"UN-1", "REQ-1", "TEST-1"}
    assert need.gaps.exists()
    client = signed_in(cast.auditor)
    base = f"/design/projects/{project.pk}/items/"

    def uids(query):
        return [i.uid for i in client.get(base + query).context["rows"]]

    assert uids("") == ["UN-1", "REQ-1", "SPEC-1", "TEST-1"]  # top of the trace first
    assert uids("?type=design_input") == ["REQ-1"]
    assert uids("?q=af") == ["UN-1", "REQ-1"]
    assert uids("?gaps=yes") == ["UN-1", "REQ-1", "TEST-1"]
    assert uids("?suspect=yes") == ["REQ-1", "TEST-1"]


@pytest.mark.verifies("DES-044")
def test_the_list_takes_the_same_queries_however_many_items(cast, project, signed_in):
    client = signed_in(cast.auditor)
    for n in range(2):
        item(cast, project, f"REQ-{n}", "design_input")
    few = queries(client, f"/design/projects/{project.pk}/items/")
    for n in range(2, 60):
        item(cast, project, f"REQ-{n}", "design_input")
    assert queries(client, f"/design/projects/{project.pk}/items/") == few


@pytest.mark.verifies("DES-009")
def test_the_item_page_shows_its_text_as_markdown_its_links_and_gaps(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input", "Flag **AF** within 30 s.")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="Run it twice."
    )
    Gap.objects.create(project=project, item=req, rule="input-has-output", detail="No output")
    page = signed_in(cast.reviewer).get(f"/design/items/{req.pk}/").content.decode()
    assert "<strong>AF</strong>" in page
    assert "TEST-1" in page and "suspect" in page and "No output" in page
    assert "Link reviewed: still valid" in page  # the signing dialog for a reviewer


@pytest.mark.verifies("DES-002")
def test_an_author_creates_an_item_from_the_page(cast, project, signed_in):
    client = signed_in(cast.author)
    url = f"/design/projects/{project.pk}/items/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "uid": "REQ-7",
            "item_type": "design_input",
            "title": "Battery",
            "text": "Runs 7 days.",
            "attributes": "priority: high",
        },
    )
    made = Item.objects.get(uid="REQ-7")
    assert response.url == f"/design/items/{made.pk}/"
    assert made.attributes == {"priority": "high"}
    assert last_event().action == "design.item.created"


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_create_items_from_the_page(cast, project, signed_in):
    before = event_count()
    response = signed_in(cast.trainee).post(
        f"/design/projects/{project.pk}/items/new/", {"uid": "REQ-7", "item_type": "design_input"}
    )
    assert response.status_code == 404
    assert (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-002")
def test_an_edit_saves_a_new_version(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    client = signed_in(cast.author)
    assert client.get(f"/design/items/{req.pk}/edit/").status_code == 200
    response = client.post(
        f"/design/items/{req.pk}/edit/",
        {
            "title": "REQ-1",
            "text": "Clearer.",
            "attributes": "",
            "based_on": 1,
            "reason": "Clearer.",
        },
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.version, req.text) == (2, "Clearer.")
    assert changes_of(last_event())["version"] == [1, 2]


@pytest.mark.verifies("DES-002", refusal=True)
def test_a_stale_edit_keeps_the_typed_text_and_writes_nothing(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    design.edit_item(
        reason="Clarified.", actor=cast.reviewer, item=req, title="REQ-1", text_="Someone else's."
    )
    before = event_count()
    response = signed_in(cast.author).post(
        f"/design/items/{req.pk}/edit/",
        {
            "title": "REQ-1",
            "text": "My careful wording.",
            "attributes": "",
            "based_on": 1,
            "reason": "Mine.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "changed since you opened it" in page and "My careful wording." in page
    req.refresh_from_db()
    assert (req.version, req.text, event_count()) == (2, "Someone else's.", before)


@pytest.mark.verifies("DES-008")
def test_an_item_is_retired_with_a_reason(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    signed_in(cast.author).post(f"/design/items/{req.pk}/retire/", {"reason": "Merged"})
    req.refresh_from_db()
    assert req.state == ItemState.RETIRED
    assert (last_event().action, last_event().reason) == ("design.item.retired", "Merged")


@pytest.mark.verifies("DES-008")
def test_retiring_without_a_reason_writes_nothing(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    before = event_count()
    response = signed_in(cast.author).post(
        f"/design/items/{req.pk}/retire/", {"reason": ""}, follow=True
    )
    assert "Nothing was changed" in response.content.decode()
    req.refresh_from_db()
    assert (req.state, event_count()) == (ItemState.ACTIVE, before)


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404_on_every_item_page(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    client = signed_in(cast.outsider)
    for path in [
        f"/design/projects/{project.pk}/items/",
        f"/design/projects/{project.pk}/suspect/",
        f"/design/items/{req.pk}/",
        f"/design/items/{req.pk}/edit/",
    ]:
        assert client.get(path).status_code == 404, path
