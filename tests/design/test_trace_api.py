"""/api/v1/design/projects/{id}/gaps, /matrix and /matrix.csv: everyone with a role
reads, an outsider meets a 404, the same queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.design.actions import items as design
from tests.design.conftest import item
from tests.design.trace_data import grow

API = "/api/v1/design/projects"


@pytest.mark.verifies("DES-012")
def test_the_gaps_are_listed(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need")
    got = signed_in(cast.auditor).get(f"{API}/{project.pk}/gaps").json()
    assert [(g["uid"], g["rule"]) for g in got] == [
        ("UN-1", "need_without_input"),
        ("UN-1", "need_without_validation"),
    ]
    assert got[0]["message"] == "User need without a design input"


@pytest.mark.verifies("DES-012")
def test_the_matrix_is_paged_and_filtered(cast, project, signed_in):
    need = item(cast, project, "UN-1", "user_need")
    item(cast, project, "UN-2", "user_need")
    req = item(cast, project, "REQ-1", "design_input")
    design.link_items(actor=cast.author, source=req, kind="derives_from", target=need)
    client = signed_in(cast.author)
    got = client.get(f"{API}/{project.pk}/matrix", {"limit": 1}).json()
    assert (got["from_type"], got["to_type"], got["count"]) == ("user_need", "design_input", 2)
    assert got["items"][0]["reached"][0]["uid"] == "REQ-1"
    assert got["next_offset"] == 1
    got = client.get(f"{API}/{project.pk}/matrix", {"q": "UN-2"}).json()
    assert [r["uid"] for r in got["items"]] == ["UN-2"]
    csv = client.get(f"{API}/{project.pk}/matrix.csv")
    assert csv.status_code == 200 and b"UN-1" in csv.content


@pytest.mark.verifies("DES-012")
def test_an_unknown_type_is_a_clear_error(cast, project, signed_in):
    got = signed_in(cast.author).get(f"{API}/{project.pk}/matrix", {"from": "nothing"})
    assert got.status_code in (400, 422)
    assert "There is no item type" in got.content.decode()


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_and_a_missing_project_meet_a_404(cast, project, signed_in):
    client = signed_in(cast.outsider)
    for path in ("gaps", "matrix", "matrix.csv"):
        assert client.get(f"{API}/{project.pk}/{path}").status_code == 404
    assert signed_in(cast.author).get(f"{API}/999999/gaps").status_code == 404


@pytest.mark.verifies("DES-044")
def test_the_matrix_costs_the_same_queries_at_two_sizes(
    cast, project, signed_in, django_assert_num_queries
):
    client = signed_in(cast.author)
    grow(cast, project, 20)
    client.get(f"{API}/{project.pk}/matrix")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/{project.pk}/matrix")
        client.get(f"{API}/{project.pk}/gaps")
    grow(cast, project, 400, start=1000)
    with django_assert_num_queries(len(few)):
        client.get(f"{API}/{project.pk}/matrix")
        client.get(f"{API}/{project.pk}/gaps")
