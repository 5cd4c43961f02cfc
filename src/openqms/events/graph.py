"""The small graph on every quality record's page: the records within three links of
it, drawn as an SVG made on the server (no script, no CDN), in columns by kind in the
order a quality event usually travels — complaint → incident report → FSCA →
nonconformity → CAPA → document revision → anything else.

A record the viewer may not open is drawn as "a record you cannot open": no name, no
link (core.modules.record_refs decides). A fixed number of queries: one per step out
(core.links.reachable) and one per module naming the records."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from openqms.core import links, modules
from openqms.core.models import User

DEPTH = 3
LIMIT = 40
COLUMNS = [
    ("events.complaint", "Complaints"),
    ("events.incidentreport", "Incident reports"),
    ("events.fsca", "FSCAs"),
    ("events.nonconformity", "Nonconformities"),
    ("events.capa", "CAPAs"),
    ("documents.revision", "Document revisions"),
]
OTHERS = "Other records"
HIDDEN = "a record you cannot open"
# Sizes in SVG units: a box per record, a column per kind.
BOX_W, BOX_H, COL_W, ROW_H, TOP = 150, 34, 180, 46, 26
LABEL_CHARS = 22


@dataclass(frozen=True)
class Node:
    key: links.Key
    label: str
    url: str
    readable: bool
    current: bool
    column: int
    row: int = 0

    @property
    def x(self) -> int:
        return 10 + self.column * COL_W

    @property
    def y(self) -> int:
        return TOP + self.row * ROW_H


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]
    edges: list[tuple[Node, Node, str]]
    columns: list[str]  # the heading of each column shown

    @property
    def width(self) -> int:
        return 20 + len(self.columns) * COL_W - (COL_W - BOX_W)

    @property
    def height(self) -> int:
        rows = max((n.row for n in self.nodes), default=0) + 1
        return TOP + rows * ROW_H


def _column(object_type: str) -> int:
    for i, (kind, _label) in enumerate(COLUMNS):
        if object_type == kind:
            return i
    return len(COLUMNS)


def build(viewer: User, start: links.Key) -> Graph:
    """The records within DEPTH links of `start` as `viewer` may see them."""
    keys, rows = links.reachable(start, depth=DEPTH, limit=LIMIT)
    refs = modules.record_refs(viewer, sorted(keys))
    used = sorted({_column(k[0]) for k in keys})
    place = {c: i for i, c in enumerate(used)}
    nodes: dict[links.Key, Node] = {}
    filled: dict[int, int] = {}
    for key in sorted(keys, key=lambda k: (_column(k[0]), k[0], _as_number(k[1]))):
        ref = refs.get(key)
        readable = key == start or (ref is not None and ref.readable)
        column = place[_column(key[0])]
        nodes[key] = Node(
            key=key,
            label=(ref.label if ref is not None and readable else HIDDEN),
            url=(ref.url if ref is not None and readable and key != start else ""),
            readable=readable,
            current=key == start,
            column=column,
            row=filled.get(column, 0),
        )
        filled[column] = filled.get(column, 0) + 1
    edges = [
        (nodes[(r.from_type, r.from_id)], nodes[(r.to_type, r.to_id)], r.kind)
        for r in rows
        if (r.from_type, r.from_id) in nodes and (r.to_type, r.to_id) in nodes
    ]
    headings = [COLUMNS[c][1] if c < len(COLUMNS) else OTHERS for c in used]
    return Graph(list(nodes.values()), edges, headings)


def _as_number(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (0, text)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def svg(graph: Graph) -> SafeString:
    """The graph as inline SVG: a titled group (not an image: it holds links, which an
    image may not), each readable record a link."""
    if len(graph.nodes) < 2:
        return SafeString("")
    parts = [
        f'<svg class="link-graph" role="group" aria-labelledby="link-graph-title" '
        f'viewBox="0 0 {graph.width} {graph.height}" width="{graph.width}" '
        f'height="{graph.height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="link-graph-title">Records linked within {DEPTH} links '
        "(the list below says the same)</title>",
    ]
    for i, heading in enumerate(graph.columns):
        parts.append(
            f'<text x="{10 + i * COL_W}" y="14" class="col" font-size="11" '
            f'font-weight="bold">{escape(heading)}</text>'
        )
    for a, b, kind in graph.edges:
        x1, y1 = a.x + BOX_W, a.y + BOX_H // 2
        x2, y2 = b.x, b.y + BOX_H // 2
        if a.column > b.column:  # drawn from the left box to the right one
            x1, x2 = a.x, b.x + BOX_W
        elif a.column == b.column:
            x1, y1, x2 = a.x + BOX_W // 2, a.y + BOX_H, b.x + BOX_W // 2
            y2 = b.y if b.row > a.row else b.y + BOX_H
            y1 = a.y + BOX_H if b.row > a.row else a.y
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#667" stroke-width="1.2">'
            f"<title>{escape(links.KINDS.get(kind, (kind,))[0])}</title></line>"
        )
    for n in graph.nodes:
        fill = "#fde9a9" if n.current else ("#eef2f7" if n.readable else "#f2f2f2")
        stroke = "#8a6d00" if n.current else "#667"
        italic = "" if n.readable else ' font-style="italic"'
        box = (
            f'<rect x="{n.x}" y="{n.y}" width="{BOX_W}" height="{BOX_H}" rx="4" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if n.current else 1}"/>'
            f'<text x="{n.x + 6}" y="{n.y + 21}" font-size="11"{italic}>'
            f"<title>{escape(n.label)}</title>{escape(_short(n.label))}</text>"
        )
        if n.url:
            box = f'<a href="{escape(n.url)}">{box}</a>'
        parts.append(f'<g class="{"current" if n.current else "node"}">{box}</g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part escaped above
