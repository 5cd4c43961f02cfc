"""`openqms requirements` lists every requirement with its clauses, risk and the tests
that verify it, in a table, CSV or JSON; without a tests folder it says so."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openqms.core import modules

pytestmark = pytest.mark.verifies("CORE-030")


# This suite's own folder: a checkout's tests/, or the copy OQ runs from an installed
# release (whose package has no tests/ beside it, the command's default).
SUITE = Path(__file__).resolve().parents[1]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if "--tests" not in args:
        args = (*args, "--tests", str(SUITE))
    call_command("requirements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_json_lists_every_requirement_with_its_tests_and_refusals():
    out, err = _run("--format", "json")
    rows = {row["id"]: row for row in json.loads(out)}
    declared = [r.id for reqs in modules.requirements().values() for r in reqs]
    assert sorted(rows) == sorted(declared) and err == ""
    assert rows["CORE-002"]["module"] == "core"
    assert rows["CORE-002"]["risk"] == "high"
    assert rows["CORE-002"]["clauses"] == ["21 CFR 11.10(e)", "Annex 11 9", "ISO 13485 4.2.5"]
    assert (
        "tests/core/test_audit_chain.py::test_database_refuses_update_of_an_event"
        in rows["CORE-002"]["refusal_tests"]
    )
    assert "tests/core/test_requirements_command.py" in rows["CORE-030"]["tests"]
    assert rows["CORE-030"]["refusal_tests"] == []


def test_the_table_of_one_module_names_each_requirement_and_who_verifies_it():
    out, _ = _run("--module", "documents")
    count = len(modules.requirements()["documents"])
    assert out.splitlines()[-1] == f"{count} requirements"
    assert "DOC-002  [high]  The author of a revision can neither review nor approve it" in out
    assert (
        "    verified by tests/documents/test_review_and_approval.py::"
        "test_author_cannot_approve_or_review_their_own_revision  (refusal)"
    ) in out
    assert "CORE-" not in out


def test_the_csv_has_a_header_and_a_row_per_requirement():
    out, _ = _run("--format", "csv", "--module", "qms")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "module", "risk", "statement", "clauses", "impacts", "tests"]
    assert [row[0] for row in rows[1:]] == [r.id for r in modules.requirements()["qms"]]
    assert (
        "tests/qms/test_scope_lifecycle.py::test_a_wrong_password_signs_nothing (refusal)"
        in (rows[2][6])
    )


def test_without_a_tests_folder_it_says_so_and_still_lists_the_requirements(tmp_path):
    out, err = _run("--format", "json", "--module", "core", "--tests", str(tmp_path / "none"))
    rows = json.loads(out)
    assert len(rows) == len(modules.requirements()["core"])
    assert all(row["tests"] == [] for row in rows)
    assert "No tests folder at" in err and "not listed" in err


def test_an_unknown_module_is_refused_naming_the_installed_ones():
    with pytest.raises(CommandError, match="No installed module 'nope'; installed: core, "):
        _run("--module", "nope")


def test_an_unknown_format_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        _run("--format", "xml")
