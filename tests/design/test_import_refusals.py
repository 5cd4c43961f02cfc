"""Malformed .sdoc, malformed ReqIF, a bad CSV, an unknown parent, a forbidden link and a
duplicate UID: every problem named with file and line, nothing written, no event."""

from pathlib import Path

import pytest

from openqms.core.errors import PermissionRefused
from openqms.design.importing import ImportRefused, import_files, import_path
from openqms.design.models import DesignProject, Item, Link
from openqms.testing import event_count

FILES = Path(__file__).parent / "files"


def refused(cast, path, **kwargs):
    before = (DesignProject.objects.count(), Item.objects.count(), Link.objects.count())
    events = event_count()
    with pytest.raises(ImportRefused) as caught:
        import_path(actor=cast.author, path=path, project_name="Rhythm", **kwargs)
    after = (DesignProject.objects.count(), Item.objects.count(), Link.objects.count())
    assert (after, event_count()) == (before, events)
    return [(Path(f).name, line, message) for f, line, message in caught.value.problems]


@pytest.mark.verifies("DES-015")
def test_a_malformed_sdoc_file_names_every_problem_and_writes_nothing(cast):
    problems = refused(cast, FILES / "bad.sdoc")
    assert problems == [
        ("bad.sdoc", 4, "This [REQUIREMENT] has no UID."),
        ("bad.sdoc", 10, "COLOUR is not a field of [REQUIREMENT]."),
        ("bad.sdoc", 11, "This >>> text is never closed with <<<."),
    ]


@pytest.mark.verifies("DES-015")
def test_malformed_reqif_names_the_line_of_the_xml_error(cast):
    problems = refused(cast, FILES / "bad.reqif")
    assert len(problems) == 1
    name, line, message = problems[0]
    assert (name, line) == ("bad.reqif", 5)
    assert message.startswith("Malformed XML:")


@pytest.mark.verifies("DES-015")
def test_a_bad_csv_names_duplicate_unknown_parent_and_forbidden_link_by_line(cast):
    problems = refused(cast, FILES / "bad.csv")
    assert [(line, message[:40]) for _, line, message in problems[1:]] == [
        (4, "TEST-1 → REQ-9: there is no item REQ-9 i"),
        (6, "TEST-2 → UN-1: A verification test may n"),
    ]
    assert problems[0][1:] == (3, f"REQ-1 is defined twice (first at {FILES / 'bad.csv'}:2).")
    assert "may not “verifies” a user need" in problems[2][2]


@pytest.mark.verifies("DES-015")
def test_a_relation_to_an_unknown_uid_in_sdoc_is_refused_with_its_line(cast):
    content = (
        b"[DOCUMENT]\nTITLE: T\n\n[REQUIREMENT]\nUID: REQ-2\n"
        b"RELATIONS:\n- TYPE: Parent\n  VALUE: REQ-404\n"
    )
    before = event_count()
    with pytest.raises(ImportRefused) as caught:
        import_files(actor=cast.author, files=[("reqs.sdoc", content)], project_name="Rhythm")
    assert caught.value.problems == [
        ("reqs.sdoc", 7, "REQ-2 → REQ-404: there is no item REQ-404 in the files or the project.")
    ]
    assert (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-015")
def test_an_item_without_a_type_or_known_prefix_is_refused(cast):
    content = b"uid,type,title,text,parent\nFOO-1,,Foo,Bar,\n"
    with pytest.raises(ImportRefused) as caught:
        import_files(actor=cast.author, files=[("x.csv", content)], project_name="Rhythm")
    assert caught.value.problems[0][:2] == ("x.csv", 2)
    assert "does not start with a known prefix" in caught.value.problems[0][2]


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_import(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        import_path(actor=cast.trainee, path=FILES / "good_sdoc", project_name="Rhythm")
    assert (DesignProject.objects.count(), Item.objects.count(), event_count()) == (0, 0, before)
