"""`openqms design check`: every gap printed, exit 1 with gaps, 0 without, 2 for an
unknown project; --export writes the matrix; a drifted stored state is reported."""

import csv

import pytest
from django.core.management import call_command

from openqms.design.actions import items as design
from openqms.design.models import Gap
from tests.design.conftest import item


def run(capsys, *args):
    with pytest.raises(SystemExit) as exited:
        call_command("design", "check", *args)
    return exited.value.code, capsys.readouterr()


@pytest.mark.verifies("DES-011")
def test_a_project_with_gaps_exits_one_and_prints_each_gap(cast, project, capsys):
    item(cast, project, "UN-1", "user_need")
    code, out = run(capsys, "--project", "RhythmCheck")
    assert code == 1, out
    assert "UN-1\tUser need without a design input\tUN-1 needs" in out.out
    assert "RhythmCheck: 2 gaps in 1 items." in out.out


@pytest.mark.verifies("DES-011")
def test_a_project_without_gaps_exits_zero(cast, project, capsys):
    call_command("design", "check", "--project", "RhythmCheck")
    assert "RhythmCheck: 0 gaps in 0 items." in capsys.readouterr().out


@pytest.mark.verifies("DES-011")
def test_an_unknown_project_exits_two_with_a_clear_message(cast, capsys):
    code, out = run(capsys, "--project", "Nowhere")
    assert code == 2
    assert "There is no design project “Nowhere”." in out.err


@pytest.mark.verifies("DES-011", "DES-012")
def test_export_writes_the_matrix_as_csv(cast, project, capsys, tmp_path):
    need = item(cast, project, "UN-1", "user_need")
    req = item(cast, project, "REQ-1", "design_input")
    design.link_items(actor=cast.author, source=req, kind="derives_from", target=need)
    target = tmp_path / "matrix.csv"
    code, out = run(capsys, "--project", "RhythmCheck", "--export", str(target))
    assert code == 1 and "Matrix written to" in out.out
    lines = list(csv.reader(target.open(encoding="utf-8")))
    assert lines[0][0] == "User need ID"
    assert lines[1][0] == "UN-1" and lines[1][3] == "REQ-1"


@pytest.mark.verifies("DES-011")
def test_export_to_an_unknown_format_is_refused(cast, project, capsys, tmp_path):
    code, out = run(capsys, "--project", "RhythmCheck", "--export", str(tmp_path / "m.doc"))
    assert code == 2 and "name a .csv, .xlsx, .pdf or .html file" in out.err


@pytest.mark.verifies("DES-011")
def test_a_stored_state_that_drifted_is_reported_and_rebuild_mends_it(cast, project, capsys):
    need = item(cast, project, "UN-1", "user_need")
    Gap.objects.filter(item=need, rule="need_without_input").delete()
    _code, out = run(capsys, "--project", "RhythmCheck")
    assert "Integrity: the stored gap state lacks UN-1 need_without_input" in out.out
    assert "disagrees on 1 gaps" in out.out
    _code, out = run(capsys, "--project", "RhythmCheck", "--rebuild")
    assert "Stored gap state rebuilt: 2 gaps." in out.out
    assert "Integrity" not in out.out
