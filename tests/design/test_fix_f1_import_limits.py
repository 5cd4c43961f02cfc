"""Import size limits (per file, in all, and per .reqifz member and member count),
checked before reading, on the page, the API and the command; and the import's audit
digest covering every field written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openqms.design.importing import ImportRefused, import_files, import_path, limits
from openqms.design.models import DesignProject, Item
from openqms.testing import changes_of, event_count, last_event
from tests.design.test_import_page_and_api import GOOD, headers

SMALL = len(GOOD) - 1  # GOOD is one byte over


@pytest.fixture
def low_limits(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", SMALL)
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 2 * SMALL)


def upload(content=GOOD, name="reqs.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def nothing_written(before):
    return (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-018")
def test_the_page_refuses_a_file_over_the_limit_and_writes_nothing(
    cast, project, signed_in, low_limits
):
    before = event_count()
    response = signed_in(cast.author).post(
        f"/design/projects/{project.pk}/import/", {"files": upload()}
    )
    assert response.status_code == 422
    assert f"at most {SMALL} bytes" in response.content.decode()
    assert nothing_written(before)


@pytest.mark.verifies("DES-018")
def test_the_api_refuses_a_file_over_the_limit_and_writes_nothing(
    client, cast, project, low_limits
):
    auth = headers(cast.author)  # making the token is audited
    before = event_count()
    response = client.post(
        f"/api/v1/design/projects/{project.pk}/import", {"file": upload()}, headers=auth
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["file"] == "reqs.csv"
    assert nothing_written(before)


@pytest.mark.verifies("DES-018")
def test_the_command_refuses_a_file_over_the_limit_before_reading(
    cast, tmp_path, low_limits, monkeypatch
):
    path = tmp_path / "reqs.csv"
    path.write_bytes(GOOD)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read"))
    before = event_count()
    with pytest.raises(ImportRefused, match="at most"):
        import_path(actor=cast.author, path=path, project_name="P")
    assert nothing_written(before)


@pytest.mark.verifies("DES-018")
def test_files_within_each_limit_but_over_the_total_are_refused(cast, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 10)
    files = [("a.sdoc", b"[DOCUMENT]\n"), ("b.sdoc", b"[DOCUMENT]\n")]
    with pytest.raises(ImportRefused) as refused:
        import_files(actor=cast.author, files=files, project_name="P")
    assert refused.value.problems == [("", 0, "The files hold 22 bytes: at most 10 bytes.")]


def reqifz(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members:
            bundle.writestr(name, data)
    return out.getvalue()


@pytest.mark.verifies("DES-018")
def test_a_reqifz_member_over_the_limit_is_refused_before_it_is_read(cast, monkeypatch):
    data = reqifz([("big.reqif", b"x" * 10_000)])  # compresses to far less
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 5_000)
    before = event_count()
    with pytest.raises(ImportRefused) as refused:
        import_files(actor=cast.author, files=[("r.reqifz", data)], project_name="P")
    assert refused.value.problems[0][0] == "r.reqifz/big.reqif"
    assert nothing_written(before)


@pytest.mark.verifies("DES-018")
def test_a_reqifz_with_too_many_members_is_refused(cast, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 2)
    data = reqifz([(f"{n}.reqif", b"x") for n in range(3)])
    with pytest.raises(ImportRefused) as refused:
        import_files(actor=cast.author, files=[("r.reqifz", data)], project_name="P")
    assert refused.value.problems == [("r.reqifz", 0, "The archive holds 3 files: at most 2.")]


@pytest.mark.verifies("DES-017")
def test_the_import_digest_changes_when_only_a_title_changes(cast):
    import_files(actor=cast.author, files=[("a.csv", GOOD)], project_name="A")
    first = changes_of(last_event())["digest"][1]
    retitled = GOOD.replace(b",Detect,", b",Detect atrial fibrillation,")
    import_files(actor=cast.author, files=[("a.csv", retitled)], project_name="B")
    second = changes_of(last_event())["digest"][1]
    assert DesignProject.objects.count() == 2
    assert last_event().action == "design.import.completed"
    assert first != second
