"""The trace matrix: any level to any level, following links downstream, with gaps,
filters, and the exports in every format."""

import pytest

from openqms.design import matrix
from openqms.design.actions import items as design
from openqms.design.matrix import exports
from tests.design.conftest import item


def tree(cast, project):
    need = item(cast, project, "UN-1", "user_need", title="See AF episodes")
    item(cast, project, "UN-2", "user_need")
    req = item(cast, project, "REQ-1", "design_input")
    sub = item(cast, project, "REQ-2", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items
    link(actor=cast.author, source=req, kind="derives_from", target=need)
    link(actor=cast.author, source=sub, kind="derives_from", target=req)
    link(actor=cast.author, source=test, kind="verifies", target=sub)
    return need


@pytest.mark.verifies("DES-012")
def test_the_default_matrix_runs_from_the_top_to_the_bottom_level(cast, project):
    tree(cast, project)
    rows = matrix.rows(project.pk)
    assert [(r.uid, [x.uid for x in r.reached]) for r in rows] == [
        ("UN-1", ["TEST-1"]),
        ("UN-2", []),
    ]
    assert rows[1].gaps == ("need_without_input", "need_without_validation")
    assert rows[0].reached[0].gaps == ("evidence",)


@pytest.mark.verifies("DES-012")
def test_any_level_to_any_level(cast, project):
    tree(cast, project)
    rows = matrix.rows(project.pk, "user_need", "design_input")
    assert [x.uid for x in rows[0].reached] == ["REQ-1", "REQ-2"]
    rows = matrix.rows(project.pk, "design_input", "verification")
    assert [(r.uid, [x.uid for x in r.reached]) for r in rows] == [
        ("REQ-1", ["TEST-1"]),
        ("REQ-2", ["TEST-1"]),
    ]


@pytest.mark.verifies("DES-012")
def test_filters_only_gaps_and_search(cast, project):
    tree(cast, project)
    assert [r.uid for r in matrix.rows(project.pk, search="af episodes")] == ["UN-1"]
    assert [r.uid for r in matrix.rows(project.pk, search="test-1")] == ["UN-1"]
    assert len(matrix.rows(project.pk, only_gaps=True)) == 2


@pytest.mark.verifies("DES-012")
def test_an_empty_project_has_no_rows(cast, project):
    assert matrix.rows(project.pk) == []


@pytest.mark.verifies("DES-012")
def test_every_export_format_carries_the_rows(cast, project):
    tree(cast, project)
    html = exports.render(project, ".html").decode()
    assert "<td>UN-1</td>" in html and "http" not in html.split("</title>")[1]
    assert "UN-1" in exports.render(project, ".csv").decode("utf-8-sig")
    assert exports.render(project, ".xlsx")[:2] == b"PK"
    assert exports.render(project, ".pdf")[:5] == b"%PDF-"


@pytest.mark.verifies("DES-012")
def test_a_title_that_looks_like_a_formula_is_exported_as_text(cast, project):
    item(cast, project, "UN-1", "user_need", title="=HYPERLINK(1)")
    assert "'=HYPERLINK(1)" in exports.render(project, ".csv").decode("utf-8-sig")
