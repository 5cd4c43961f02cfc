"""The process map (ISO 13485 4.1.2 b: the sequence and interaction of the processes),
drawn from the register as SVG so it can never disagree with it: no hand drawing, no
JavaScript, no library (a layered layout of a few dozen boxes is a page of code).

Layout (Sugiyama's method, simplified): cycles are broken by reversing the edges a
depth-first search finds going back; each process sits in the layer of its longest path
from a process nothing feeds; within a layer, boxes are ordered by the mean position of
their neighbours (barycentre), sweeping a few times to cut crossings. The layers are
drawn as rows from top to bottom, a wide layer wrapping onto more rows, so the map stays
about 1,200 px wide. Arrows run orthogonally in the gaps between rows and columns (never
behind a box); those going back up the map (feedback loops) are dashed and orange."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape

from openqms.qms.models import Process

BOX_W, BOX_H = 176, 100  # room for the code, a name on three lines and the risk
GAP_X, GAP_Y = 48, 52  # the gaps the arrows run in (and the margins)
COLUMNS = 5  # at most five boxes a row: about 1,200 px wide
LINE_CHARS, NAME_LINES = 22, 3
LANE = 6  # between parallel arrows in one gap
BACK = "#b35900"  # arrows going back up the map
SWEEPS = 4
RISK_FILL = {"low": "#eef7ee", "medium": "#fff6e0", "high": "#fdeaea"}


@dataclass
class Node:
    pk: int
    code: str
    name: str
    risk: str
    outsourced: bool
    layer: int = 0
    order: float = 0.0


def _break_cycles(nodes: list[int], edges: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The edges with those closing a cycle reversed (found by an iterative DFS)."""
    out: dict[int, list[int]] = defaultdict(list)
    for a, b in sorted(edges):
        out[a].append(b)
    state: dict[int, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[int, int]] = set()
    for start in nodes:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(out[start]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(out[child])))
    return {(b, a) if (a, b) in back else (a, b) for a, b in edges if a != b}


def layout(nodes: list[Node], edges: set[tuple[int, int]]) -> list[list[Node]]:
    """Columns of nodes, left to right, each ordered to cut crossings."""
    by_pk = {n.pk: n for n in nodes}
    dag = _break_cycles([n.pk for n in nodes], edges)
    preds: dict[int, list[int]] = defaultdict(list)
    succs: dict[int, list[int]] = defaultdict(list)
    for a, b in dag:
        preds[b].append(a)
        succs[a].append(b)
    # Longest path from the sources, in topological order (Kahn).
    waiting = {n.pk: len(preds[n.pk]) for n in nodes}
    ready = sorted((pk for pk, count in waiting.items() if count == 0), key=lambda p: by_pk[p].code)
    while ready:
        pk = ready.pop(0)
        for nxt in succs[pk]:
            by_pk[nxt].layer = max(by_pk[nxt].layer, by_pk[pk].layer + 1)
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    columns: list[list[Node]] = [[] for _ in range(max((n.layer for n in nodes), default=-1) + 1)]
    for node in sorted(nodes, key=lambda n: n.code):
        columns[node.layer].append(node)
    for column in columns:
        for i, node in enumerate(column):
            node.order = i
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        for column in columns[1:] if forward else list(reversed(columns[:-1])):
            for node in column:
                near = preds[node.pk] if forward else succs[node.pk]
                if near:
                    node.order = sum(by_pk[p].order for p in near) / len(near)
            column.sort(key=lambda n: (n.order, n.code))
            for i, node in enumerate(column):
                node.order = i
    return columns


def _lines(text: str, size: int = LINE_CHARS, most: int = NAME_LINES) -> list[str]:
    """The name wrapped at word boundaries into at most `most` lines of `size` letters;
    only a name longer than the box holds loses its end (the box's tooltip and the list
    under the map give it whole)."""
    lines: list[str] = []
    for word in text.split():
        while len(word) > size:  # a word longer than a line is cut across lines
            lines.append(word[:size])
            word = word[size:]
        if lines and len(lines[-1]) + 1 + len(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: size - 1].rstrip() + "…"
    return lines


def _box(node: Node, x: int, y: int, href: str) -> str:
    dash = ' stroke-dasharray="6 4"' if node.outsourced else ""
    label = f"risk: {node.risk}" + (" · outsourced" if node.outsourced else "")
    name = "".join(
        f'<text x="{x + 8}" y="{y + 36 + 16 * i}">{escape(line)}</text>'
        for i, line in enumerate(_lines(node.name))
    )
    return (
        f'<a href="{escape(href)}"><title>{escape(node.code)} {escape(node.name)} ({label})'
        f"</title>"
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
        f'fill="{RISK_FILL.get(node.risk, "#fff")}" stroke="#334"{dash} stroke-width="1.5"/>'
        f'<text x="{x + 8}" y="{y + 18}" font-weight="bold">{escape(node.code)}</text>{name}'
        f'<text x="{x + 8}" y="{y + BOX_H - 8}" font-size="11" fill="#333">{label}</text></a>'
    )


def place(columns: list[list[Node]]) -> dict[int, tuple[int, int]]:
    """(row, column) of each node on a grid at most COLUMNS wide: the layers run top to
    bottom, a layer wider than the grid wraps onto further rows, and a short row sits in
    the middle (whole cells, so the gaps between columns stay clear on every row)."""
    width = min(COLUMNS, max((len(c) for c in columns), default=0))
    cell: dict[int, tuple[int, int]] = {}
    row = 0
    for layer in columns:
        for first in range(0, len(layer), width):
            chunk = layer[first : first + width]
            offset = (width - len(chunk)) // 2
            for j, node in enumerate(chunk):
                cell[node.pk] = (row, offset + j)
            row += 1
    return cell


def _x(col: int) -> int:
    return GAP_X + col * (BOX_W + GAP_X)


def _y(row: int) -> int:
    return GAP_Y + row * (BOX_H + GAP_Y)


class _Lanes:
    """Parallel tracks inside the gaps between rows and columns, handed out from the
    middle of a gap outwards, so that edges sharing a gap run side by side rather than
    on top of each other, and clear of the boxes' sides."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, int], int] = defaultdict(int)

    def take(self, kind: str, index: int, start: int) -> int:
        width = GAP_X if kind == "v" else GAP_Y
        count = self.used[kind, index]
        self.used[kind, index] += 1
        tracks = max(width // LANE - 1, 1)
        step = count % tracks
        shift = (step + 1) // 2 * (1 if step % 2 else -1)  # 0, +1, -1, +2, -2, …
        return start + width // 2 + LANE * shift


def _ports(
    ends: dict[tuple[int, str], list[tuple[int, int]]], cell: dict[int, tuple[int, int]]
) -> dict[tuple[int, str, int], int]:
    """x of each edge's end on a box's top or bottom side, spread along the side in the
    order of the far ends' positions (fewer crossings next to the box)."""
    port: dict[tuple[int, str, int], int] = {}
    for (pk, side), items in ends.items():
        items.sort(key=lambda item: (item[1], item[0]))
        for i, (edge, _) in enumerate(items):
            port[pk, side, edge] = _x(cell[pk][1]) + BOX_W * (i + 1) // (len(items) + 1)
    return port


def route(
    edges: list[tuple[int, int]], cell: dict[int, tuple[int, int]]
) -> list[tuple[bool, list[tuple[int, int]]]]:
    """Orthogonal polylines in the gaps between boxes, never across one: an edge leaves
    its box's bottom (forward, down the map) or top (back, up the map: a feedback loop),
    runs along the gap next to that row, down the gap left of its target's column (back:
    up the gap right of it), and enters the target from above. (back?, points) for each edge."""
    ends: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for i, (a, b) in enumerate(edges):
        (ra, ca), (rb, cb) = cell[a], cell[b]
        ends[a, "bottom" if rb > ra else "top"].append((i, cb))
        ends[b, "top"].append((i, ca))
    port = _ports(ends, cell)
    lanes = _Lanes()
    routed = []
    for i, (a, b) in enumerate(edges):
        (ra, ca), (rb, cb) = cell[a], cell[b]
        back = rb <= ra
        sx = port[a, "top" if back else "bottom", i]
        tx = port[b, "top", i]
        sy = _y(ra) if back else _y(ra) + BOX_H
        ty = _y(rb)
        gap = ra - 1 if back else ra  # the gap above (back) or below (forward) the source
        h1 = lanes.take("h", gap, _y(gap) + BOX_H if gap >= 0 else 0)
        if gap == rb - 1:  # the target's row is right beyond that gap
            points = [(sx, sy), (sx, h1), (tx, h1), (tx, ty)]
        else:  # down the gap left of the target's column, or back up the one right of it
            column = cb + 1 if back else cb
            vx = lanes.take("v", column, _x(column) - GAP_X)
            h2 = lanes.take("h", rb - 1, _y(rb - 1) + BOX_H if rb > 0 else 0)
            points = [(sx, sy), (sx, h1), (vx, h1), (vx, h2), (tx, h2), (tx, ty)]
        routed.append((back, points))
    return routed


def _path(back: bool, points: list[tuple[int, int]]) -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(points))
    if back:
        return (
            f'<path class="back" d="{d}" fill="none" stroke="{BACK}" stroke-width="1.4" '
            'stroke-dasharray="5 3" marker-end="url(#arrow-back)"/>'
        )
    return f'<path d="{d}" fill="none" stroke="#556" stroke-width="1.3" marker-end="url(#arrow)"/>'


def processes_for_map() -> tuple[list[Node], set[tuple[int, int]]]:
    """The processes in use and who feeds whom among them (two queries)."""
    live = Process.objects.filter(retired_at__isnull=True).order_by("code")
    nodes = [Node(*row) for row in live.values_list("pk", "code", "name", "risk", "outsourced")]
    pks = {n.pk for n in nodes}
    links = Process.feeds.through.objects.filter(
        from_process_id__in=pks, to_process_id__in=pks
    ).values_list("from_process_id", "to_process_id")
    return nodes, set(links)


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
    )


def render_svg(nodes: list[Node], edges: set[tuple[int, int]], *, standalone: bool = False) -> str:
    columns = layout(nodes, edges)
    cell = place(columns)
    rows = max((r for r, _ in cell.values()), default=-1) + 1
    cols = max((c for _, c in cell.values()), default=-1) + 1
    width = _x(cols) if cols else 1
    height = _y(rows) if rows else 1
    links = sorted((a, b) for a, b in edges if a in cell and b in cell and a != b)
    routed = route(links, cell)
    back = sum(1 for is_back, _ in routed if is_back)
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'<svg{xmlns} viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-labelledby="map-title map-desc" '
        'font-family="sans-serif" font-size="13">',
        '<title id="map-title">Process map</title>',
        f'<desc id="map-desc">{len(nodes)} processes of the QMS and {len(edges)} links; an '
        "arrow from A to B means A feeds B, the map reading from top to bottom; "
        f"{back} dashed orange arrow{'' if back == 1 else 's'} go back up the map (feedback "
        "loops). Dashed boxes are outsourced processes; each box states its risk.</desc>",
        f"<defs>{_marker('arrow', '#556')}{_marker('arrow-back', BACK)}</defs>",
    ]
    parts += [_path(is_back, points) for is_back, points in routed]
    for column in columns:
        for node in column:
            row, col = cell[node.pk]
            parts.append(_box(node, _x(col), _y(row), reverse("qms:process", args=[node.pk])))
    parts.append("</svg>")
    return "\n".join(parts)
