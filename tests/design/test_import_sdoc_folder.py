"""A folder of StrictDoc files: three levels imported with links of the right kinds, in
one transaction with one audit event."""

from pathlib import Path

import pytest

from openqms.core.models import AuditEvent
from openqms.design.importing import import_path
from openqms.design.models import DesignProject, Item, Link
from openqms.testing import changes_of, event_count, last_event

FILES = Path(__file__).parent / "files"


@pytest.mark.verifies("DES-016")
def test_a_folder_of_sdoc_files_is_imported_with_links_of_the_right_kinds(cast):
    before = event_count()
    result = import_path(actor=cast.author, path=FILES / "good_sdoc", project_name="Rhythm")
    assert (result.items, result.links, len(result.files)) == (6, 4, 3)
    project = DesignProject.objects.get(name="Rhythm")
    types = dict(Item.objects.filter(project=project).values_list("uid", "item_type__code"))
    assert types == {
        "REQ-SYS-1": "design_input",
        "REQ-SYS-2": "design_input",
        "REQ-SW-1": "design_input",
        "REQ-SW-2": "design_input",
        "TEST-1": "verification",
        "TEST-2": "verification",
    }
    links = set(Link.objects.values_list("source__uid", "kind", "target__uid"))
    assert links == {
        ("REQ-SW-1", "derives_from", "REQ-SYS-1"),
        ("REQ-SW-2", "derives_from", "REQ-SYS-2"),
        ("TEST-1", "verifies", "REQ-SW-1"),
        ("TEST-2", "verifies", "REQ-SW-2"),
    }
    alert = Item.objects.get(uid="REQ-SYS-2")
    assert (
        alert.text
        == "The device shall alert the clinician\nwithin 10 seconds of a detected episode."
    )
    assert alert.attributes == {"RATIONALE": "Clinicians act on alerts."}
    assert Item.objects.get(uid="TEST-1").attributes["PROCEDURE"].startswith("Run the detector")
    assert event_count() == before + 2
    event = last_event()
    assert event.action == "design.import.completed"
    changes = changes_of(event)
    assert (changes["items"], changes["links"], changes["skipped"]) == (
        [None, 6],
        [None, 4],
        [None, 0],
    )
    assert len(changes["files"][1]) == 3 and len(changes["digest"][1]) == 64


@pytest.mark.verifies("DES-017")
def test_the_project_is_made_on_first_import_and_audited(cast):
    import_path(actor=cast.author, path=FILES / "good_sdoc", project_name="Rhythm")
    created = changes_of(AuditEvent.objects.get(action="design.project.created"))
    assert created["name"] == [None, "Rhythm"]


@pytest.mark.verifies("DES-016")
def test_importing_the_same_files_again_skips_what_is_already_there(cast):
    import_path(actor=cast.author, path=FILES / "good_sdoc", project_name="Rhythm")
    again = import_path(actor=cast.author, path=FILES / "good_sdoc", project_name="Rhythm")
    assert (again.items, again.links, again.skipped) == (0, 0, 6)
    assert (Item.objects.count(), Link.objects.count()) == (6, 4)
