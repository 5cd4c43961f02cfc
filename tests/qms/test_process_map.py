"""The process map: drawn from the register, readable without colour, linked, and quick
to draw for 60 processes."""

import itertools
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from openqms.qms import map
from openqms.qms.actions.processes import retire_process

from .process_helpers import make_process

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.verifies("QMS-015")
def test_the_map_shows_each_process_as_a_linked_box_with_its_risk(cast, signed_in):
    capa = make_process(cast, "PR-08", "CAPA", risk="high")
    design = make_process(cast, "PR-03", "Design", outsourced=True, feeds=[capa])
    page = signed_in(cast.trainee).get(reverse("qms:process-map")).content.decode()
    assert '<title id="map-title">Process map</title>' in page
    assert f'href="{reverse("qms:process", args=[capa.pk])}"' in page
    assert "risk: high" in page
    assert "risk: medium · outsourced" in page and 'stroke-dasharray="6 4"' in page
    assert "marker-end" in page  # the arrow PR-03 → PR-08
    # The text list for screen readers says the same.
    assert "PR-03 Design</a> — risk medium, outsourced; feeds PR-08" in page
    assert design.pk


@pytest.mark.verifies("QMS-015")
def test_the_download_is_a_standalone_svg(cast, signed_in):
    make_process(cast, "PR-01", "Planning & <review>")
    response = signed_in(cast.trainee).get(reverse("qms:process-map-svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="process-map.svg"'
    root = ET.fromstring(response.content)  # well-formed XML, names escaped
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Planning & <review>" in texts


def test_a_retired_process_leaves_the_map(cast, signed_in):
    old = make_process(cast, "PR-09", "Old")
    make_process(cast, "PR-01", "Current", feeds=[old])
    retire_process(actor=cast.qa_lead, process=old, reason="Gone")
    nodes, edges = map.processes_for_map()
    assert [n.code for n in nodes] == ["PR-01"] and edges == set()


def test_layers_follow_the_longest_path_and_cycles_do_not_break_it():
    nodes = [map.Node(i, f"P{i}", f"Process {i}", "low", False) for i in range(1, 6)]
    # 1→2→3, 1→3, 3→4, 4→1 (a loop back), 5 alone.
    columns = map.layout(nodes, {(1, 2), (2, 3), (1, 3), (3, 4), (4, 1)})
    where = {n.code: i for i, column in enumerate(columns) for n in column}
    assert where == {"P1": 0, "P5": 0, "P2": 1, "P3": 2, "P4": 3}


def test_the_barycentre_order_removes_an_avoidable_crossing():
    a, b, c, d = (map.Node(i, code, code, "low", False) for i, code in enumerate("ABCD", 1))
    # A→D and B→C: by code the second column would be C, D (crossing); barycentre swaps.
    columns = map.layout([a, b, c, d], {(1, 4), (2, 3)})
    assert [n.code for n in columns[1]] == ["D", "C"]


@pytest.mark.verifies("QMS-015")
def test_sixty_processes_draw_as_one_valid_map():
    nodes = [map.Node(i, f"PR-{i:02}", f"Process {i}", "medium", i % 7 == 0) for i in range(60)]
    edges = {(i, (i * 7 + 3) % 60) for i in range(60)} | {(i, i + 1) for i in range(59)}
    svg = map.render_svg(nodes, edges, standalone=True)
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}rect"))) == 60


def _demo_map():
    from openqms.qms.demo_processes import PROCESSES

    pk = {row[0]: i for i, row in enumerate(PROCESSES, 1)}
    nodes = [map.Node(pk[r[0]], r[0], r[1], r[3], r[4]) for r in PROCESSES]
    edges = {(pk[r[0]], pk[code]) for r in PROCESSES for code in r[5]}
    return nodes, edges


def _boxes(cell):
    return [(map._x(c), map._y(r), map._x(c) + map.BOX_W, map._y(r) + map.BOX_H) for r, c in cell]


def _crosses(segment, box):
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = box
    return (
        max(min(x1, x2), left) < min(max(x1, x2), right) or (x1 == x2 and left < x1 < right)
    ) and (max(min(y1, y2), top) < min(max(y1, y2), bottom) or (y1 == y2 and top < y1 < bottom))


def _check_routes(nodes, edges):
    cell = map.place(map.layout(nodes, edges))
    routed = map.route(sorted(edges), cell)
    boxes = _boxes(cell.values())
    for back, points in routed:
        for segment in itertools.pairwise(points):
            (x1, y1), (x2, y2) = segment
            assert x1 == x2 or y1 == y2  # orthogonal
            assert not any(_crosses(segment, box) for box in boxes), (back, points)
    return cell, routed


def test_the_demo_map_is_narrow_its_arrows_avoid_the_boxes_and_loops_stand_out():
    nodes, edges = _demo_map()
    _, routed = _check_routes(nodes, edges)
    svg = map.render_svg(nodes, edges, standalone=True)
    root = ET.fromstring(svg)
    assert int(root.get("width")) <= 1200
    backs = [points for back, points in routed if back]
    assert len(backs) == len(root.findall(f"{SVG}path[@class='back']")) >= 1
    assert 'marker-end="url(#arrow-back)"' in svg and "feedback loops" in svg
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for node in nodes:  # no title cut short
        assert all(word in texts for word in node.name.split()), node.name
    assert "…" not in texts


def test_sixty_processes_stay_within_the_width_and_their_arrows_avoid_the_boxes():
    nodes = [map.Node(i, f"PR-{i:02}", f"Process {i}", "medium", False) for i in range(60)]
    edges = {(0, i) for i in range(1, 60)} | {(i, (i * 7 + 3) % 60) for i in range(60) if i % 5}
    edges = {(a, b) for a, b in edges if a != b}
    cell, _ = _check_routes(nodes, edges)
    assert max(c for _, c in cell.values()) < map.COLUMNS
    root = ET.fromstring(map.render_svg(nodes, edges, standalone=True))
    assert int(root.get("width")) <= 1200


def test_a_long_name_wraps_onto_three_lines_and_only_a_very_long_one_is_cut():
    assert map._lines("Purchasing and supplier control") == ["Purchasing and", "supplier control"]
    lines = map._lines("word " * 40)
    assert len(lines) == map.NAME_LINES and lines[-1].endswith("…")
