"""The process map (ISO 13485 4.1.2 b: the sequence and interaction of the processes),
drawn from the register as SVG so it can never disagree with it: no hand drawing, no
JavaScript, no library (a layered layout of a few dozen boxes is a page of code).

Layout (Sugiyama's method, simplified): cycles are broken by reversing the edges a
depth-first search finds going back; each process sits in the column of its longest path
from a process nothing feeds; within a column, boxes are ordered by the mean position of
their neighbours (barycentre), sweeping left and right a few times to cut crossings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape

from openqms.qms.models import Process

BOX_W, BOX_H = 200, 64
GAP_X, GAP_Y = 70, 22
MARGIN = 16
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


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _box(node: Node, x: int, y: int, href: str) -> str:
    dash = ' stroke-dasharray="6 4"' if node.outsourced else ""
    label = f"risk: {node.risk}" + (" · outsourced" if node.outsourced else "")
    return (
        f'<a href="{escape(href)}"><title>{escape(node.code)} {escape(node.name)} ({label})'
        f"</title>"
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
        f'fill="{RISK_FILL.get(node.risk, "#fff")}" stroke="#334"{dash} stroke-width="1.5"/>'
        f'<text x="{x + 8}" y="{y + 18}" font-weight="bold">{escape(node.code)}</text>'
        f'<text x="{x + 8}" y="{y + 36}">{escape(_short(node.name, 30))}</text>'
        f'<text x="{x + 8}" y="{y + 54}" font-size="11" fill="#333">{label}</text></a>'
    )


def _arrow(a: tuple[int, int], b: tuple[int, int]) -> str:
    (x1, y1), (x2, y2) = a, b
    if x2 > x1:  # forward: from the right side to the left side
        sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H // 2, x2, y2 + BOX_H // 2
        mid = (sx + ex) // 2
        d = f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}"
    else:  # back or within a column: loop under the boxes
        sx, sy, ex, ey = x1 + BOX_W // 2, y1 + BOX_H, x2 + BOX_W // 2 + 10, y2 + BOX_H
        low = max(sy, ey) + GAP_Y
        d = f"M{sx},{sy} C{sx},{low} {ex},{low} {ex},{ey}"
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


def render_svg(nodes: list[Node], edges: set[tuple[int, int]], *, standalone: bool = False) -> str:
    columns = layout(nodes, edges)
    tallest = max((len(c) for c in columns), default=0)
    width = MARGIN * 2 + len(columns) * BOX_W + max(len(columns) - 1, 0) * GAP_X
    height = MARGIN * 2 + tallest * BOX_H + max(tallest - 1, 0) * GAP_Y + GAP_Y * 2
    at: dict[int, tuple[int, int]] = {}
    for i, column in enumerate(columns):
        top = MARGIN + (tallest - len(column)) * (BOX_H + GAP_Y) // 2
        for j, node in enumerate(column):
            at[node.pk] = (MARGIN + i * (BOX_W + GAP_X), top + j * (BOX_H + GAP_Y))
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'<svg{xmlns} viewBox="0 0 {max(width, 1)} {max(height, 1)}" width="{width}" '
        f'height="{height}" aria-labelledby="map-title map-desc" '
        'font-family="sans-serif" font-size="13">',
        '<title id="map-title">Process map</title>',
        f'<desc id="map-desc">{len(nodes)} processes of the QMS and {len(edges)} links; an '
        "arrow from A to B means A feeds B. Dashed boxes are outsourced processes; each box "
        "states its risk.</desc>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#556"/></marker></defs>',
    ]
    parts += [_arrow(at[a], at[b]) for a, b in sorted(edges) if a in at and b in at and a != b]
    for column in columns:
        for node in column:
            parts.append(_box(node, *at[node.pk], reverse("qms:process", args=[node.pk])))
    parts.append("</svg>")
    return "\n".join(parts)
