"""Projects, items and links over the API: the same actions as the pages; an edit over a
newer version is 409 and writes nothing; a refused link says the rule; a suspect link
signed still valid with the password and the content hash from GET; lists paged at
constant queries; an outsider meets 404."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.design.actions import items as design
from openqms.design.models import DesignProject, Item, Link, LinkState
from openqms.testing import PASSWORD, event_count, last_event
from tests.design.conftest import item


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/design{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        call = getattr(self.client, method)
        return call(
            f"/api/v1/design{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, body=None):
        return self.send("post", path, body)


@pytest.fixture
def author(client, cast):
    return Api(client, cast.author)


@pytest.mark.verifies("DES-045")
def test_an_author_creates_a_project_and_items_and_links_them(cast, author):
    made = author.post("/projects", {"name": "HeartBeat", "title": "HB"})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert last_event().action == "design.project.created"
    req = author.post(f"/projects/{pk}/items", {"uid": "REQ-1", "item_type": "design_input"})
    test = author.post(f"/projects/{pk}/items", {"uid": "TEST-1", "item_type": "verification"})
    assert (req.status_code, test.status_code) == (201, 201)
    link = author.post(f"/items/{test.json()['id']}/links", {"kind": "verifies", "other": "REQ-1"})
    assert link.status_code == 201, link.content
    assert (link.json()["source"], link.json()["target"]) == ("TEST-1", "REQ-1")
    assert author.get(f"/projects/{pk}").json()["item_count"] == 2
    [seen] = author.get(f"/items/{req.json()['id']}/links").json()  # both ends list it
    assert (seen["source"], seen["kind"], seen["state"]) == ("TEST-1", "verifies", "valid")


@pytest.mark.verifies("DES-009")
def test_the_items_list_filters_and_pages(cast, project, author):
    for n in range(3):
        item(cast, project, f"REQ-{n}", "design_input")
    item(cast, project, "UN-1", "user_need")
    first = author.get(f"/projects/{project.pk}/items", type="design_input", limit=2).json()
    assert [r["uid"] for r in first["items"]] == ["REQ-0", "REQ-1"]
    rest = author.get(
        f"/projects/{project.pk}/items", type="design_input", offset=first["next_offset"]
    ).json()
    assert ([r["uid"] for r in rest["items"]], rest["next_offset"]) == (["REQ-2"], None)


@pytest.mark.verifies("DES-044")
def test_lists_take_the_same_queries_however_many_rows(cast, project, author):
    def count(path):
        author.get(path)  # warm the token's last use
        with CaptureQueriesContext(connection) as done:
            assert author.get(path).status_code == 200
        return len(done)

    item(cast, project, "REQ-0", "design_input")
    few = (count("/projects"), count(f"/projects/{project.pk}/items"))
    for n in range(1, 30):
        item(cast, project, f"REQ-{n}", "design_input")
        design.create_project(actor=cast.author, name=f"P{n}")
    assert (count("/projects"), count(f"/projects/{project.pk}/items")) == few


@pytest.mark.verifies("DES-045")
@pytest.mark.verifies("DES-002", refusal=True)
def test_an_edit_based_on_an_old_version_is_409_and_writes_nothing(cast, project, author):
    req = item(cast, project, "REQ-1", "design_input")
    ok = author.send(
        "patch", f"/items/{req.pk}", {"title": "R", "text": "v2", "based_on": 1, "reason": "r"}
    )
    assert (ok.status_code, ok.json()["version"]) == (200, 2)
    assert last_event().action == "design.item.edited"
    before = event_count()
    stale = author.send(
        "patch", f"/items/{req.pk}", {"title": "R", "text": "v3", "based_on": 1, "reason": "r"}
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_edit")
    req.refresh_from_db()
    assert (req.version, req.text, event_count()) == (2, "v2", before)


@pytest.mark.verifies("DES-045")
@pytest.mark.verifies("DES-003")
def test_a_refused_link_says_the_rule_and_writes_nothing(cast, project, author):
    item(cast, project, "UN-1", "user_need")
    test = item(cast, project, "TEST-1", "verification")
    before = event_count()
    refused = author.post(f"/items/{test.pk}/links", {"kind": "verifies", "other": "UN-1"})
    assert refused.status_code == 422
    assert "may not “verifies” a user need" in refused.json()["message"]
    assert (Link.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-005", "DES-008")
def test_an_item_is_retired_and_a_link_removed_with_reasons(cast, project, author):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    gone = author.send("delete", f"/links/{link.pk}", {"reason": "Wrong test"})
    assert gone.status_code == 204
    assert (last_event().action, last_event().reason) == ("design.link.removed", "Wrong test")
    retired = author.post(f"/items/{test.pk}/retire", {"reason": "Obsolete"})
    assert (retired.status_code, retired.json()["state"]) == (200, "retired")
    assert last_event().action == "design.item.retired"


@pytest.mark.verifies("DES-004")
def test_a_reviewer_signs_a_suspect_link_still_valid_over_the_api(cast, project, client):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Clarified."
    )
    reviewer = Api(client, cast.reviewer)
    shown = reviewer.get(f"/links/{link.pk}").json()
    assert shown["state"] == "suspect"
    signed = reviewer.post(
        f"/links/{link.pk}/clear",
        {"password": PASSWORD, "content_hash": shown["content_sha256"], "reason": "Holds"},
    )
    assert signed.status_code == 200, signed.content
    assert (signed.json()["state"], len(signed.json()["signatures"])) == ("valid", 1)
    assert last_event().action == "design.link.cleared"


@pytest.mark.verifies("DES-004", refusal=True)
def test_an_author_cannot_sign_a_suspect_link(cast, project, author):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Clarified."
    )
    before = event_count()
    refused = author.post(f"/links/{link.pk}/clear", {"password": PASSWORD})
    assert refused.status_code == 403
    link.refresh_from_db()
    assert (link.state, event_count()) == (LinkState.SUSPECT, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_create_over_the_api(cast, project, client):
    trainee = Api(client, cast.trainee)
    before = event_count()
    assert trainee.post("/projects", {"name": "X"}).status_code == 403
    made = trainee.post(
        f"/projects/{project.pk}/items", {"uid": "R-1", "item_type": "design_input"}
    )
    assert made.status_code == 403
    assert (DesignProject.objects.count(), Item.objects.count(), event_count()) == (1, 0, before)


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404(cast, project, client):
    req = item(cast, project, "REQ-1", "design_input")
    outsider = Api(client, cast.outsider)
    for path in [
        "/projects",
        f"/projects/{project.pk}",
        f"/projects/{project.pk}/items",
        f"/items/{req.pk}",
    ]:
        assert outsider.get(path).status_code == 404, path
