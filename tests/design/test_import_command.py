"""`openqms design import` and `export-reqif`: exit codes, problems as file:line, counts."""

from pathlib import Path

import pytest
from django.core.management import call_command

from openqms.design.models import DesignProject, Item
from openqms.testing import event_count

FILES = Path(__file__).parent / "files"


def run(*args):
    try:
        call_command("design", *args)
    except SystemExit as exc:
        return exc.code
    return 0


@pytest.mark.verifies("DES-016")
def test_a_good_import_exits_0_and_prints_the_counts(cast, capsys):
    code = run(
        "import", str(FILES / "good_sdoc"), "--project", "Rhythm", "--as", cast.author.username
    )
    assert code == 0
    assert "imported 6 item(s) and 4 link(s) from 3 file(s)" in capsys.readouterr().out
    assert Item.objects.count() == 6


@pytest.mark.verifies("DES-015")
def test_a_bad_import_prints_every_problem_as_file_and_line_and_exits_1(cast, capsys):
    before = event_count()
    code = run(
        "import", str(FILES / "bad.sdoc"), "--project", "Rhythm", "--as", cast.author.username
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{FILES / 'bad.sdoc'}:4: This [REQUIREMENT] has no UID." in err
    assert f"{FILES / 'bad.sdoc'}:11: This >>> text is never closed with <<<." in err
    assert (DesignProject.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-015")
def test_a_dry_run_checks_everything_and_writes_nothing(cast, capsys):
    before = event_count()
    code = run(
        "import", str(FILES / "good_sdoc"), "--project", "Rhythm", "--as", cast.author.username,
        "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert "would import 6 item(s)" in capsys.readouterr().out
    assert (DesignProject.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-017", refusal=True)
@pytest.mark.parametrize("who", ["nobody", "inactive"])
def test_an_unknown_or_inactive_user_is_refused(cast, capsys, who):
    if who == "inactive":
        cast.author.is_active = False
        cast.author.save(update_fields=["is_active"])
        who = cast.author.username
    code = run("import", str(FILES / "good_sdoc"), "--project", "Rhythm", "--as", who)
    assert code == 1
    assert "There is no active user" in capsys.readouterr().err
    assert DesignProject.objects.count() == 0


@pytest.mark.verifies("DES-019")
def test_export_reqif_writes_the_file(cast, capsys, tmp_path):
    run("import", str(FILES / "good_sdoc"), "--project", "Rhythm", "--as", cast.author.username)
    target = tmp_path / "out.reqif"
    assert run("export-reqif", "--project", "Rhythm", str(target)) == 0
    assert b"REQ-SW-1" in target.read_bytes()
    assert run("export-reqif", "--project", "Nope", str(target)) == 1
