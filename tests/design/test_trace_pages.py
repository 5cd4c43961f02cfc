"""The trace page and the matrix exports: everyone with a role reads them, an outsider
meets a 404, and the page costs the same queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.design.conftest import item
from tests.design.trace_data import grow


@pytest.mark.verifies("DES-012")
def test_the_trace_page_shows_the_gaps_and_the_matrix(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need", title="See AF episodes")
    item(cast, project, "REQ-1", "design_input")
    page = signed_in(cast.auditor).get(f"/design/projects/{project.pk}/trace/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "User need without a design input" in body
    assert "See AF episodes" in body
    assert "nothing reached" in body


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_a_404(cast, project, signed_in):
    client = signed_in(cast.outsider)
    assert client.get(f"/design/projects/{project.pk}/trace/").status_code == 404
    assert client.get(f"/design/projects/{project.pk}/trace/matrix.csv").status_code == 404


@pytest.mark.verifies("DES-012")
def test_an_unknown_item_type_is_said_plainly(cast, project, signed_in):
    page = signed_in(cast.author).get(f"/design/projects/{project.pk}/trace/?from=nothing")
    assert "There is no item type “nothing”" in page.content.decode()


@pytest.mark.verifies("DES-012")
def test_every_export_downloads(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need")
    client = signed_in(cast.author)
    for fmt, start in (
        ("csv", b"\xef\xbb\xbf"),
        ("xlsx", b"PK"),
        ("pdf", b"%PDF"),
        ("html", b"<!"),
    ):
        got = client.get(f"/design/projects/{project.pk}/trace/matrix.{fmt}?only_gaps=1")
        assert got.status_code == 200 and got.content.startswith(start), fmt
        assert "attachment" in got["Content-Disposition"]
    assert client.get(f"/design/projects/{project.pk}/trace/matrix.doc").status_code == 404


@pytest.mark.verifies("DES-044")
def test_the_page_costs_the_same_queries_at_two_sizes(
    cast, project, signed_in, django_assert_num_queries
):
    client = signed_in(cast.author)
    url = f"/design/projects/{project.pk}/trace/?to=verification"
    grow(cast, project, 20)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(cast, project, 400, start=1000)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
