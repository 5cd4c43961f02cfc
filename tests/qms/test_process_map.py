"""The process map: drawn from the register, readable without colour, linked, and quick
to draw for 60 processes."""

import xml.etree.ElementTree as ET

from django.urls import reverse

from openqms.qms import map
from openqms.qms.actions.processes import retire_process

from .process_helpers import make_process

SVG = "{http://www.w3.org/2000/svg}"


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


def test_sixty_processes_draw_as_one_valid_map():
    nodes = [map.Node(i, f"PR-{i:02}", f"Process {i}", "medium", i % 7 == 0) for i in range(60)]
    edges = {(i, (i * 7 + 3) % 60) for i in range(60)} | {(i, i + 1) for i in range(59)}
    svg = map.render_svg(nodes, edges, standalone=True)
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}rect"))) == 60
