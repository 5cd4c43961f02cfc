"""ReqIF out and back in: the same items (UID, type, title, text, attributes) and links."""

import io
from pathlib import Path

import pytest

from openqms.design import reqif_export
from openqms.design.importing import import_files, import_path
from openqms.design.models import DesignProject, Item, Link

FILES = Path(__file__).parent / "files"


def snapshot(project):
    items = set(
        (i.uid, i.item_type.code, i.title, i.text, tuple(sorted(i.attributes.items())))
        for i in Item.objects.filter(project=project).select_related("item_type")
    )
    links = set(
        Link.objects.filter(project=project).values_list("source__uid", "kind", "target__uid")
    )
    return items, links


@pytest.mark.verifies("DES-019")
def test_a_project_exported_as_reqif_imports_into_another_with_the_same_items_and_links(cast):
    import_path(actor=cast.author, path=FILES / "good_sdoc", project_name="Rhythm")
    source = DesignProject.objects.get(name="Rhythm")
    out = io.BytesIO()
    assert reqif_export.write(source, out) == 6
    result = import_files(
        actor=cast.author, files=[("rhythm.reqif", out.getvalue())], project_name="Copy"
    )
    assert (result.items, result.links) == (6, 4)
    assert snapshot(DesignProject.objects.get(name="Copy")) == snapshot(source)


@pytest.mark.verifies("DES-019")
def test_a_reqif_file_from_another_tool_maps_its_named_attributes(cast):
    result = import_path(actor=cast.author, path=FILES / "other_tool.reqif", project_name="R")
    assert (result.items, result.links) == (2, 1)
    req = Item.objects.get(uid="REQ-7")
    assert (req.title, req.text, req.attributes) == (
        "Detect AF",
        "The device shall\ndetect AF.",
        {"Priority": "High"},
    )
    assert list(Link.objects.values_list("source__uid", "kind", "target__uid")) == [
        ("TEST-7", "verifies", "REQ-7")
    ]
