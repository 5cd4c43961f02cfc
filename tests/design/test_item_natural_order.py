"""IDs in natural order (RISK-2 before RISK-10) wherever items are listed: the item list
page and the API (paged by the database on the stored sort key), the matrix rows and
their exports, and the ReqIF export. The migration fills the key of existing items."""

import importlib
import io

import pytest
from django.apps import apps

from openqms.design import matrix, reqif_export
from openqms.design.matrix import exports
from openqms.design.models import Item
from openqms.design.models.project import sort_key_of
from tests.design.conftest import item
from tests.design.test_api_pages import Api

pytestmark = pytest.mark.verifies("DES-054")

MIXED = ["UN-10", "UN-2", "UN-1", "UN-1.10", "UN-1.9"]
NATURAL = ["UN-1", "UN-1.9", "UN-1.10", "UN-2", "UN-10"]


def _needs(cast, project):
    for uid in MIXED:
        item(cast, project, uid, "user_need")


def test_the_sort_key_pads_every_number():
    assert sort_key_of("RISK-2") == "risk-0000000002"
    assert sort_key_of("REQ-1.10") == "req-0000000001.0000000010"
    assert sorted(["RISK-10", "RISK-2", "risk-1"], key=sort_key_of) == [
        "risk-1",
        "RISK-2",
        "RISK-10",
    ]


def test_an_item_stores_its_sort_key_when_created(cast, project):
    made = item(cast, project, "RISK-07", "risk")
    assert Item.objects.get(pk=made.pk).sort_key == "risk-0000000007"


def test_the_item_list_page_is_in_natural_order(cast, project, signed_in):
    _needs(cast, project)
    page = signed_in(cast.author).get(f"/design/projects/{project.pk}/items/")
    uids = [row.uid for row in page.context["rows"]]
    assert uids == NATURAL


def test_the_api_list_pages_in_natural_order(cast, project, client):
    _needs(cast, project)
    api = Api(client, cast.author)
    first = api.get(f"/projects/{project.pk}/items", limit=3).json()
    rest = api.get(f"/projects/{project.pk}/items", offset=3, limit=3).json()
    assert [i["uid"] for i in first["items"] + rest["items"]] == NATURAL


def test_matrix_rows_and_their_exports_are_in_natural_order(cast, project):
    _needs(cast, project)
    rows = matrix.rows(project.pk, "user_need", "user_need")
    assert [r.uid for r in rows] == NATURAL
    csv = exports.render(project, ".csv").decode("utf-8-sig")
    assert [csv.index(f"\n{uid},") for uid in NATURAL] == sorted(
        csv.index(f"\n{uid},") for uid in NATURAL
    )


def test_the_reqif_export_is_in_natural_order(cast, project):
    _needs(cast, project)
    out = io.BytesIO()
    reqif_export.write(project, out)
    text = out.getvalue().decode()
    places = [text.index(f'"{uid}"') for uid in NATURAL]
    assert places == sorted(places)


def test_the_migration_fills_the_key_of_existing_items(cast, project):
    _needs(cast, project)
    Item.objects.update(sort_key="")
    migration = importlib.import_module("openqms.design.migrations.0013_s20_items")
    migration.fill_sort_keys(apps, None)
    assert dict(Item.objects.values_list("uid", "sort_key")) == {
        uid: sort_key_of(uid) for uid in MIXED
    }
    assert list(Item.objects.filter(project=project).values_list("uid", flat=True)) == NATURAL
