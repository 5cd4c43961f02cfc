"""Every requirement of every module is verified by a test, and every marker names a
real requirement (ISO 13485 4.1.6: the software is validated against its requirements).

Reads the test files (core.tracing), so a requirement added without a test, or a test
naming an id that does not exist, fails here with its name."""

from pathlib import Path

from openqms.core import modules
from openqms.core.requirements import id_problems
from openqms.core.tracing import scan_tree, trace_problems

TESTS = Path(__file__).resolve().parents[1]
# The prefixes issue 14 agreed, one per module; a new module adds its own here.
PREFIXES = {
    "core": "CORE",
    "documents": "DOC",
    "training": "TRN",
    "qms": "QMS",
    "devices": "DEV",
    "suppliers": "SUP",
    "events": "EVT",
    "design": "DES",
    "validation": "VAL",
}
# Modules registered only for the tests (settings_test), which promise users nothing.
TEST_ONLY = {"testapp"}


def _must_be_complete() -> list[str]:
    return [label for label in modules.requirements() if label not in TEST_ONLY]


def test_every_requirement_id_is_well_formed_unique_and_of_its_module():
    assert id_problems(modules.requirements(), PREFIXES) == []


def test_every_registered_module_has_an_agreed_prefix():
    unknown = set(modules.requirements()) - TEST_ONLY - set(PREFIXES)
    assert unknown == set()


def test_every_requirement_is_verified_and_every_marker_names_a_requirement():
    scan = scan_tree(TESTS)
    assert trace_problems(modules.requirements(), scan, complete=_must_be_complete()) == []


def test_each_module_states_at_least_its_main_capabilities():
    # A floor, not a target: a module of a QMS serves more than a handful of needs.
    counts = {label: len(modules.requirements()[label]) for label in _must_be_complete()}
    assert {label: n for label, n in counts.items() if n < 10} == {}
