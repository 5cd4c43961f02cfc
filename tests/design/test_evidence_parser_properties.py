"""The JUnit parser and the ID matcher under generated input: any bytes give cases or a
clear InvalidInput, names survive XML escaping, and an ID is found only as a whole
token."""

from types import SimpleNamespace
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openqms.core.errors import InvalidInput
from openqms.design import junit
from openqms.design.actions.evidence import ids_in

XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)
OUTCOMES = st.sampled_from(["passed", "failed", "error", "skipped"])
CHILD = {"passed": "", "failed": "<failure/>", "error": "<error/>", "skipped": "<skipped/>"}


@pytest.mark.verifies("DES-022")
@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_cases_or_a_clear_refusal(data):
    try:
        cases = junit.parse(data)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert isinstance(cases, list)


@pytest.mark.verifies("DES-020")
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(XML_TEXT, OUTCOMES), max_size=8))
def test_names_and_outcomes_survive_the_file(cases):
    body = "".join(
        f"<testcase name={quoteattr(name)}>{CHILD[outcome]}</testcase>" for name, outcome in cases
    )
    parsed = junit.parse(f"<testsuites><testsuite>{body}</testsuite></testsuites>".encode())
    assert [(c.name, c.outcome) for c in parsed] == [(n.strip(), o) for n, o in cases]


SEPARATORS = st.sampled_from(["_", "-", ".", " ", "::", "/"])
WORDS = st.from_regex(r"[a-z]{1,6}", fullmatch=True)


@pytest.mark.verifies("DES-020")
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 999), WORDS, WORDS, SEPARATORS, SEPARATORS, st.integers(0, 9))
def test_an_id_is_found_only_as_a_whole_token(number, before, after, left, right, extra):
    item = SimpleNamespace(pk=number, uid=f"TEST-{number}")
    known = {f"TEST-{number}": item}
    assert ids_in(f"{before}{left}TEST_{number}{right}{after}", known) == [item]
    assert ids_in(f"{before}{left}TEST_{number}{extra}{right}{after}", known) == []
    assert ids_in(f"{before}{left}test_{number}{right}{after}", known) == []
