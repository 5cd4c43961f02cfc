"""A CSV with attributes and an explicit kind, imported with the progress reported."""

import pytest

from openqms.design.importing import import_files, import_path
from openqms.design.models import Item, Link
from openqms.testing import changes_of, last_event

CSV = (
    b"uid,type,title,text,parent,kind,owner\n"
    b"UN-1,user_need,See AF,Clinicians see AF,,,Clinical\n"
    b"REQ-1,Design input (requirement),Detect,Detect AF,UN-1,,Eng\n"
    b"VAL-1,,Study,Clinical study,UN-1,validates,\n"
)


@pytest.mark.verifies("DES-016")
def test_a_csv_is_imported_with_attributes_kinds_and_progress(cast):
    result = import_files(
        actor=cast.author, files=[("items.csv", CSV)], project_name="Rhythm",
    )  # fmt: skip
    assert (result.items, result.links) == (3, 2)
    assert Item.objects.get(uid="UN-1").attributes == {"owner": "Clinical"}
    assert Item.objects.get(uid="VAL-1").attributes == {}
    assert set(Link.objects.values_list("source__uid", "kind", "target__uid")) == {
        ("REQ-1", "derives_from", "UN-1"),
        ("VAL-1", "validates", "UN-1"),
    }
    assert changes_of(last_event())["files"][1][0]["name"] == "items.csv"


@pytest.mark.verifies("DES-016")
def test_progress_is_reported_by_stage(cast, tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(CSV)
    seen = []
    import_path(
        actor=cast.author, path=path, project_name="Rhythm",
        progress=lambda done, total, stage: seen.append(stage),
    )  # fmt: skip
    assert seen[0] == "reading" and seen[-1] == "done"
    assert {"checking", "writing items", "writing links"} <= set(seen)
