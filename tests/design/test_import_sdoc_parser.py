"""The .sdoc reader on generated small documents: every item and relation comes back with
its line, whatever the titles, texts and nesting (property-based)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openqms.design.actions.import_plan import Plan
from openqms.design.importing import sdoc

uids = st.from_regex(r"REQ-[A-Z0-9]{1,6}", fullmatch=True)
words = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n\x1c\x1d\x1e\x85\u2028\u2029\x0b\x0c"),
    max_size=30,
).map(str.strip)
lines = st.lists(words.filter(lambda w: w != "<<<"), min_size=1, max_size=4)


@st.composite
def documents(draw):
    ids = draw(st.lists(uids, min_size=1, max_size=6, unique=True))
    out, expected, links = ["[DOCUMENT]", "TITLE: Generated", ""], [], []
    sections = draw(st.integers(0, 2))
    for depth in range(sections):
        out += ["[SECTION]", f"TITLE: Level {depth}", ""]
    for index, uid in enumerate(ids):
        expected.append((uid, len(out) + 1))
        body = draw(lines)
        out += ["[REQUIREMENT]", f"UID: {uid}", f"TITLE: {draw(words)}", "STATEMENT: >>>"]
        out += [*body, "<<<"]
        if index:
            out += ["RELATIONS:", "- TYPE: Parent", f"  VALUE: {ids[index - 1]}"]
            links.append((uid, ids[index - 1], len(out) - 1))
        out.append("")
    out += ["[/SECTION]"] * sections
    return "\n".join(out) + "\n", expected, links


@pytest.mark.verifies("DES-015", "DES-016")
@settings(max_examples=25, deadline=None)
@given(documents())
def test_every_generated_item_and_relation_is_read_with_its_line(document):
    content, expected, links = document
    plan = Plan()
    sdoc.parse(content, "gen.sdoc", plan)
    assert plan.problems == []
    assert [(i.uid, i.line) for i in plan.items] == expected
    assert [(k.source, k.target, k.line) for k in plan.links] == links


@pytest.mark.verifies("DES-016")
def test_the_benchmark_shape_is_read_without_a_grammar():
    content = (
        "[DOCUMENT]\nTITLE: T\n\n[REQUIREMENT]\nUID: TEST-1\nTITLE: t\nSTATEMENT: s\n"
        "RELATIONS:\n- TYPE: Parent\n  VALUE: REQ-SW-1\n"
    )
    plan = Plan()
    sdoc.parse(content, "t.sdoc", plan)
    assert (plan.problems, [i.text for i in plan.items]) == ([], ["s"])
    assert [(k.source, k.target, k.kind, k.line) for k in plan.links] == [
        ("TEST-1", "REQ-SW-1", None, 9)
    ]


@pytest.mark.verifies("DES-015")
def test_an_unclosed_section_and_a_stray_close_are_problems():
    plan = Plan()
    sdoc.parse(
        "[DOCUMENT]\nTITLE: T\n\n[SECTION]\nTITLE: A\n\n[/SECTION]\n[/SECTION]\n[SECTION]\n",
        "s.sdoc",
        plan,
    )
    assert plan.problems == [
        ("s.sdoc", 8, "[/SECTION] closes no open section."),
        ("s.sdoc", 9, "[SECTION] is never closed."),
    ]
