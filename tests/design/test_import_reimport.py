"""Importing a file again: unchanged items are left alone, changed ones become a new
version as an edit makes them (their links suspect), new links are added, links the
same file made and no longer declares are removed (unless a signed review keeps one),
and items missing from the file stay. One audit event lists it all; a dry run, the
page's check and the API show the same summary before anything is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from openqms.core.models import AuditEvent
from openqms.design.actions import items as design
from openqms.design.importing import ImportRefused, import_files
from openqms.design.models import DesignProject, Gap, Item, Link
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN
from tests.design.test_import_page_and_api import headers

HEAD = "uid,type,title,text,parent\n"
FIRST = HEAD + (
    "REQ-1,,Detect,Detect AF.,\n"
    "REQ-2,,Alert,Alert the clinician.,\n"
    "REQ-3,,Store,Store episodes.,\n"
    "TEST-1,,Detect test,Run it.,REQ-1\n"
    "TEST-2,,Alert test,Run it.,REQ-2\n"
)
# REQ-1's text changed, TEST-2 now verifies REQ-3 instead of REQ-2, REQ-2 is gone,
# REQ-4 is new.
SECOND = HEAD + (
    "REQ-1,,Detect,Detect AF within 30 s.,\n"
    "REQ-3,,Store,Store episodes.,\n"
    "REQ-4,,Export,Export episodes.,\n"
    "TEST-1,,Detect test,Run it.,REQ-1\n"
    "TEST-2,,Alert test,Run it.,REQ-3\n"
)

pytestmark = pytest.mark.verifies("DES-048")


def run(cast, content, name="reqs.csv", **kwargs):
    return import_files(
        actor=cast.author, files=[(name, content.encode())], project_name="Rhythm", **kwargs
    )


def links():
    return set(Link.objects.values_list("source__uid", "kind", "target__uid", "state"))


def state():
    items = Item.objects.values_list("uid", "version", "text", "state").order_by("uid")
    return (list(items), links(), event_count())


def test_a_changed_item_becomes_a_new_version_and_its_links_turn_suspect(cast):
    assert run(cast, FIRST).project == DesignProject.objects.get(name="Rhythm")
    before = event_count()
    result = run(cast, SECOND)
    detect = Item.objects.get(uid="REQ-1")
    assert (detect.version, detect.text) == (2, "Detect AF within 30 s.")
    assert Item.objects.get(uid="REQ-3").version == 1
    assert result.changed == ["REQ-1 v1->v2"]
    assert links() == {
        ("TEST-1", "verifies", "REQ-1", "suspect"),
        ("TEST-2", "verifies", "REQ-3", "valid"),
    }
    assert Gap.objects.filter(item__uid="REQ-1", rule="suspect").exists()
    # The changed item's own edit event (its history and a link review read it), then
    # the import's one event.
    assert event_count() == before + 2
    [edited] = AuditEvent.objects.filter(action="design.item.edited", object_id=str(detect.pk))
    assert (edited.reason, changes_of(edited)) == (
        "re-import of reqs.csv",
        {"text": ["Detect AF.", "Detect AF within 30 s."], "version": [1, 2]},
    )
    event = last_event()
    assert event.action == "design.import.completed"
    changes = changes_of(event)
    digest = changes.pop("digest")[1]
    assert len(digest) == 64
    assert changes == {
        "files": [None, [{"name": "reqs.csv", "sha256": result.files[0][1]}]],
        "items": [None, 1],
        "links": [None, 1],
        "skipped": [None, 3],
        "created": [None, ["REQ-4"]],
        "changed": [None, ["REQ-1 v1->v2"]],
        "unchanged": [None, ["REQ-3", "TEST-1", "TEST-2"]],
        "links_removed": [None, ["TEST-2 verifies REQ-2"]],
        "kept_signed": [None, []],
        "suspect": [None, ["TEST-1 verifies REQ-1"]],
        "resolved": [None, []],
        "not_in_file": [None, ["REQ-2"]],
    }


def test_an_unchanged_file_imported_again_changes_nothing(cast):
    run(cast, FIRST)
    before = state()
    result = run(cast, FIRST)
    assert (result.items, result.links, result.skipped, result.changed) == (0, 0, 5, [])
    assert state()[:2] == before[:2]
    assert changes_of(last_event())["unchanged"][1] == [
        "REQ-1",
        "REQ-2",
        "REQ-3",
        "TEST-1",
        "TEST-2",
    ]


def test_items_missing_from_the_file_are_reported_and_not_retired(cast):
    run(cast, FIRST)
    result = run(cast, SECOND)
    assert result.not_in_file == ["REQ-2"]
    assert Item.objects.get(uid="REQ-2").state == "active"
    assert "Not in this file (left as they are, not retired): REQ-2." in result.summary()


def test_a_new_link_records_the_file_it_came_from(cast):
    run(cast, FIRST, name="exports/reqs.csv")
    assert set(Link.objects.values_list("origin", flat=True)) == {"reqs.csv"}


def test_links_made_by_hand_or_by_another_file_are_not_removed(cast):
    run(cast, FIRST)
    other = HEAD + "TEST-3,,Store test,Run it.,REQ-3\n"
    run(cast, other, name="tests.csv")
    design.link_items(
        actor=cast.author,
        source=Item.objects.get(uid="TEST-1"),
        kind="verifies",
        target=Item.objects.get(uid="REQ-2"),
    )
    result = run(cast, SECOND)
    assert result.links_removed == ["TEST-2 verifies REQ-2"]
    kept = {(s, t) for s, _, t, _ in links()}
    assert {("TEST-3", "REQ-3"), ("TEST-1", "REQ-2")} <= kept


def test_a_link_with_a_signed_review_stays_and_is_reported_as_a_warning(cast):
    run(cast, FIRST)
    run(cast, FIRST.replace("Alert the clinician.", "Alert the nurse."))
    suspect = Link.objects.get(source__uid="TEST-2", target__uid="REQ-2")
    design.clear_suspect(actor=cast.reviewer, link=suspect, credentials=SIGN)
    result = run(cast, SECOND)
    assert Link.objects.filter(pk=suspect.pk).exists()
    assert result.links_removed == []
    assert result.kept_signed == ["TEST-2 verifies REQ-2"]
    assert changes_of(last_event())["kept_signed"] == [None, ["TEST-2 verifies REQ-2"]]
    assert any(
        line.startswith("Warning: TEST-2 verifies REQ-2 is no longer in the file")
        for line in result.summary()
    )


def test_a_dry_run_shows_the_same_summary_and_writes_nothing(cast):
    run(cast, FIRST)
    before = state()
    checked = run(cast, SECOND, dry_run=True)
    assert state() == before
    done = run(cast, SECOND)
    assert checked.summary()[1:] == done.summary()[1:]
    assert checked.summary()[0] == (
        "Would create 1 item(s), change 1, left 3 unchanged; would add 1 link(s) and remove 1."
    )
    assert done.summary()[0] == (
        "Created 1 item(s), changed 1, left 3 unchanged; added 1 link(s) and removed 1."
    )


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("TEST-9,,New test,Run it.,REQ-99", "there is no item REQ-99"),
        ("REQ-2,verification,Alert,Alert the clinician.,", "an item's type cannot change"),
    ],
)
@pytest.mark.verifies("DES-048", refusal=True)
def test_a_refused_re_import_writes_nothing(cast, row, problem):
    run(cast, FIRST)
    before = state()
    with pytest.raises(ImportRefused, match=problem):
        run(cast, SECOND + row + "\n")
    assert state() == before


def test_a_changed_retired_item_is_refused(cast):
    run(cast, FIRST)
    design.retire_item(actor=cast.author, item=Item.objects.get(uid="REQ-3"), reason="Dropped")
    before = state()
    with pytest.raises(ImportRefused, match="REQ-3 is retired in the project"):
        run(cast, FIRST.replace("Store episodes.", "Store every episode."))
    assert state() == before


def test_the_page_check_shows_the_summary_before_writing(cast, signed_in):
    run(cast, FIRST)
    project = DesignProject.objects.get(name="Rhythm")
    client = signed_in(cast.author)
    before = state()
    upload = SimpleUploadedFile("reqs.csv", SECOND.encode(), content_type="text/csv")
    response = client.post(
        f"/design/projects/{project.pk}/import/", {"files": upload, "dry_run": "1"}, follow=True
    )
    page = response.content.decode()
    assert "It would change 1 item(s) and remove 1 link(s)." in page
    assert page.count('role="status"') == 1
    assert "REQ-1 v1-&gt;v2" in page
    assert state() == before


def test_the_api_answers_with_the_summary(client, cast):
    run(cast, FIRST)
    project = DesignProject.objects.get(name="Rhythm")
    upload = SimpleUploadedFile("reqs.csv", SECOND.encode(), content_type="text/csv")
    response = client.post(
        f"/api/v1/design/projects/{project.pk}/import?dry_run=true",
        {"file": upload},
        headers=headers(cast.author),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["changed"], body["links_removed"], body["not_in_file"]) == (
        ["REQ-1 v1->v2"],
        ["TEST-2 verifies REQ-2"],
        ["REQ-2"],
    )
    assert body["summary"][0].startswith("Would create 1 item(s), change 1")
    assert Item.objects.get(uid="REQ-1").version == 1


def test_the_command_prints_the_summary_of_a_dry_run(cast, tmp_path, capsys):
    run(cast, FIRST)
    path = tmp_path / "reqs.csv"
    path.write_text(SECOND)
    user = cast.author.username
    call_command("design", "import", str(path), "--project", "Rhythm", "--as", user, "--dry-run")
    out = capsys.readouterr().out
    assert "Would create 1 item(s), change 1, left 3 unchanged" in out
    assert "Links no longer in the file, removed: TEST-2 verifies REQ-2." in out
    assert Item.objects.get(uid="REQ-1").version == 1


def test_a_long_list_of_ids_is_kept_in_the_event_as_count_first_few_and_digest():
    import hashlib

    from openqms.design.actions.imports import LISTED_IDS, ids_for_event

    few = [f"REQ-{n}" for n in range(LISTED_IDS)]
    assert ids_for_event(few) == few
    many = [f"REQ-{n}" for n in range(LISTED_IDS + 1)]
    kept = ids_for_event(many)
    assert kept == {
        "count": LISTED_IDS + 1,
        "first": many[:20],
        "sha256": hashlib.sha256("\n".join(many).encode()).hexdigest(),
    }


@pytest.mark.verifies("DES-048", refusal=True)
def test_a_file_changing_an_item_after_release_is_refused_and_writes_nothing(cast):
    from openqms.design.actions import baselines

    run(cast, FIRST)
    project = DesignProject.objects.get(name="Rhythm")
    made = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    baselines.sign_baseline(actor=cast.qa_lead, baseline=made, credentials=SIGN)
    before = state()
    with pytest.raises(ImportRefused) as refused:
        run(cast, SECOND)
    assert any(
        "REQ-1 differs from the project" in message and "release 1.0" in message
        for _, _, message in refused.value.problems
    )
    assert state() == before


def test_a_link_review_after_a_re_import_shows_the_texts_of_both_versions(cast):
    from openqms.design.link_review import reviews

    run(cast, FIRST)
    run(cast, SECOND)
    link = Link.objects.select_related("source", "target").get(target__uid="REQ-1")
    review = reviews([link])[link.pk]
    assert (review.old_version, review.new_version) == (1, 2)
    removed = "".join(s.text for s in review.text or [] if s.kind == "removed")
    added = "".join(s.text for s in review.text or [] if s.kind == "added")
    assert review.text_changed and "AF." in removed and "30" in added
