"""The trace check catches each kind of fault, shown on small made-up inputs: a check
that could not fail would prove nothing."""

from textwrap import dedent

import pytest

from openqms.core import modules
from openqms.core.modules import Module
from openqms.core.requirements import Impact, Requirement, Risk, find, id_problems
from openqms.core.tracing import Scan, Trace, scan_source, scan_tree, trace_problems

pytestmark = pytest.mark.verifies("CORE-030")


def _req(rid: str, risk: Risk = Risk.MEDIUM) -> Requirement:
    return Requirement(rid, "The system does a thing.", ("ISO 13485 4.1.6",), risk)


def _scan(source: str) -> Scan:
    return scan_source(dedent(source), "tests/x/test_x.py")


def test_a_decorated_test_function_is_traced_with_its_refusal_flag():
    scan = _scan(
        """
        import pytest
        @pytest.mark.verifies("DOC-001", "DOC-002")
        def test_a():
            pass
        @pytest.mark.verifies("DOC-001", refusal=True)
        def test_b():
            pass
        """
    )
    assert scan.problems == []
    assert scan.traces == {
        "DOC-001": [Trace("tests/x/test_x.py::test_a"), Trace("tests/x/test_x.py::test_b", True)],
        "DOC-002": [Trace("tests/x/test_x.py::test_a")],
    }


def test_file_and_class_pytestmarks_and_lists_of_marks_are_traced():
    scan = _scan(
        """
        import pytest
        from pytest import mark
        pytestmark = [pytest.mark.django_db, pytest.mark.verifies("TRN-001")]
        @mark.verifies("TRN-002", refusal=True)
        class TestThings:
            pytestmark = (pytest.mark.verifies("TRN-003"),)
            @pytest.mark.verifies("TRN-004")
            async def test_inner(self):
                pass
        """
    )
    assert scan.problems == []
    assert scan.traces == {
        "TRN-001": [Trace("tests/x/test_x.py")],
        "TRN-002": [Trace("tests/x/test_x.py::TestThings", True)],
        "TRN-003": [Trace("tests/x/test_x.py::TestThings")],
        "TRN-004": [Trace("tests/x/test_x.py::TestThings::test_inner")],
    }


def test_ids_that_are_not_literal_strings_are_reported_not_guessed():
    scan = _scan(
        """
        import pytest
        IDS = ("DOC-001",)
        @pytest.mark.verifies(*IDS)
        def test_a():
            pass
        @pytest.mark.verifies("DOC-001", refusal="yes")
        def test_b():
            pass
        @pytest.mark.verifies
        def test_c():
            pass
        """
    )
    assert scan.problems == [
        "tests/x/test_x.py::test_a: verifies needs literal string ids, not *IDS",
        "tests/x/test_x.py::test_b: verifies takes only refusal=True or refusal=False",
        "tests/x/test_x.py::test_c: a verifies marker names no requirement",
    ]


def test_a_marker_on_a_helper_that_is_not_a_test_is_reported():
    scan = _scan(
        """
        import pytest
        @pytest.mark.verifies("DOC-001")
        def helper():
            pass
        """
    )
    assert scan.problems == [
        "tests/x/test_x.py::helper: marks a verification on something not a test"
    ]


def test_a_marker_the_scan_cannot_attribute_is_reported_not_dropped():
    scan = _scan(
        """
        import pytest
        SHARED = pytest.mark.verifies("DOC-001")
        @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.verifies("DOC-002"))])
        def test_a(x):
            @pytest.mark.verifies("DOC-003")
            def test_inner():
                pass
        """
    )
    assert scan.traces == {}
    assert [problem.split(":")[0] for problem in scan.problems] == [
        "tests/x/test_x.py, line 3",
        "tests/x/test_x.py, line 4",
        "tests/x/test_x.py, line 6",
    ]
    assert all("cannot attribute" in problem for problem in scan.problems)


def test_a_file_that_does_not_parse_is_reported():
    assert _scan("def test_(:\n").problems[0].startswith("tests/x/test_x.py: cannot be read")


def test_the_tree_scan_reads_test_files_names_them_from_the_tests_folder_and_flags_others(tmp_path):
    folder = tmp_path / "tests" / "documents"
    folder.mkdir(parents=True)
    marked = 'import pytest\n@pytest.mark.verifies("DOC-001")\ndef test_a():\n    pass\n'
    (folder / "test_a.py").write_text(marked)
    (folder / "b_test.py").write_text(marked)
    (folder / "helpers.py").write_text(marked)
    (folder / "prose.py").write_text('"""This helper verifies nothing."""\n')
    scan = scan_tree(tmp_path / "tests")
    assert scan.traces == {
        "DOC-001": [
            Trace("tests/documents/b_test.py::test_a"),
            Trace("tests/documents/test_a.py::test_a"),
        ]
    }
    assert scan.problems == [
        "tests/documents/helpers.py, line 2: a verifies marker outside a test file"
    ]


def test_a_requirement_without_a_test_is_named():
    declared = {"documents": (_req("DOC-001"), _req("DOC-002"))}
    scan = Scan({"DOC-001": [Trace("t::a")]})
    assert trace_problems(declared, scan, complete=["documents"]) == [
        "DOC-002: no test verifies it"
    ]


def test_a_marker_naming_an_unknown_requirement_is_named():
    declared = {"documents": (_req("DOC-001"),)}
    scan = Scan({"DOC-001": [Trace("t::a")], "DOC-404": [Trace("t::b"), Trace("t::c")]})
    assert trace_problems(declared, scan, complete=["documents"]) == [
        "t::b, t::c: names the unknown requirement 'DOC-404'"
    ]


def test_a_high_requirement_needs_a_refusal_test():
    declared = {"documents": (_req("DOC-001", Risk.HIGH), _req("DOC-002", Risk.HIGH))}
    scan = Scan({"DOC-001": [Trace("t::a")], "DOC-002": [Trace("t::a"), Trace("t::b", True)]})
    assert trace_problems(declared, scan, complete=["documents"]) == [
        "DOC-001: HIGH risk but no refusal=True test"
    ]


def test_a_module_declaring_no_requirements_is_named_when_it_must_be_complete():
    declared = {"documents": (), "training": ()}
    assert trace_problems(declared, Scan(), complete=["documents"]) == [
        "documents: declares no requirements"
    ]


def test_scan_problems_fail_the_trace_too():
    scan = Scan(problems=["tests/x.py::test_a: verifies needs literal string ids, not X"])
    assert trace_problems({}, scan, complete=[]) == scan.problems


def test_bad_duplicate_and_foreign_ids_are_named():
    declared = {
        "documents": (_req("DOC-001"), _req("DOC-1"), _req("doc-002"), _req("DOC-001")),
        "training": (_req("DOC-003"),),
        "qms": (_req("QMS-001"), _req("QMX-002")),
    }
    assert id_problems(declared, {"documents": "DOC", "training": "TRN"}) == [
        "documents: the id 'DOC-1' is not PREFIX-NNN (capital letters, a hyphen, three digits)",
        "documents: the id 'doc-002' is not PREFIX-NNN (capital letters, a hyphen, three digits)",
        "documents: the id DOC-001 is declared twice (also by documents)",
        "training: ids must start with TRN-, not DOC-",
        "training: the prefix DOC belongs to documents already",
        "qms: ids use several prefixes (QMS, QMX)",
    ]


def test_an_empty_statement_is_named():
    blank = Requirement("DOC-001", " ", (), Risk.LOW)
    assert id_problems({"documents": (blank,)}) == ["documents: DOC-001 has no statement"]


def test_well_formed_requirements_have_no_id_problems():
    declared = {"documents": (_req("DOC-001"), _req("DOC-002")), "qms": (_req("QMS-001"),)}
    assert id_problems(declared, {"documents": "DOC", "qms": "QMS"}) == []


def test_a_registered_module_s_requirements_are_found_by_id():
    extra = Requirement(
        "SMP-001", "A sample.", ("ISO 13485 4.1.6",), Risk.LOW, (Impact.PRODUCT_QUALITY,)
    )
    with modules.temporarily(Module(label="sample", requirements=(extra,))):
        assert modules.requirements()["sample"] == (extra,)
        assert modules.requirement("SMP-001") is extra
    assert "sample" not in modules.requirements()
    with pytest.raises(LookupError, match="no requirement 'SMP-001'"):
        modules.requirement("SMP-001")
    with pytest.raises(LookupError):
        find([extra], "SMP-002")
