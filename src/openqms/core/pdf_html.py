"""The HTML of a Markdown body, fitted to what fpdf2's HTML writer lays out.

The pages and the PDFs show the same HTML (core.text, sanitised by nh3 to core.pdf's
PDF_TAGS); fpdf2 then needs three things of a table that a browser does not:
- a cell holds text only (fpdf2 refuses <strong> or a list inside <td>): its tags are
  dropped and its words kept;
- every row has the same number of cells (a short row of raw HTML is padded);
- the columns are as wide as what they hold (fpdf2 makes them equal otherwise): the
  first row's cells get `width` weights from the longest text of each column.
Everything outside tables passes through as it is. A code block outside lists, quotes
and tables is split out (`split_code_blocks`) for core.pdf to print in a shaded box.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_CELLS = ("td", "th")
# Tags inside a word ("a<em>b</em>c" is "abc"); any other tag in a cell separates words.
_INLINE = {"a", "b", "code", "del", "em", "i", "s", "strong", "sub", "sup", "u"}
_WIDEST = 40  # characters: a column of long sentences is not let crush the others


@dataclass
class _Cell:
    tag: str
    attrs: dict[str, str]
    words: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.words).split())


@dataclass
class _Table:
    attrs: dict[str, str]
    rows: list[list[_Cell]] = field(default_factory=list)


def _tag(name: str, attrs: dict[str, str]) -> str:
    shown = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<{name}{shown}>"


def _table_html(table: _Table) -> str:
    rows = [row for row in table.rows if row]
    if not rows:
        return ""
    spans = any("colspan" in c.attrs or "rowspan" in c.attrs for row in rows for c in row)
    if not spans:
        columns = max(len(row) for row in rows)
        for row in rows:
            row.extend(_Cell("td", {}) for _ in range(columns - len(row)))
        for index, cell in enumerate(rows[0]):
            longest = max(len(row[index].text) for row in rows)
            cell.attrs["width"] = str(min(max(longest, 3), _WIDEST) + 4)
    out = [_tag("table", {"border": "1", "width": "100%"})]
    for row in rows:
        out.append("<tr>")
        out.extend(
            f"{_tag(c.tag, c.attrs)}{html.escape(c.text, quote=False)}</{c.tag}>" for c in row
        )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


class _Fitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.table: _Table | None = None
        self.cell: _Cell | None = None
        self.nested = 0  # tables inside a table: their words go to the cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.table is None:
            if tag == "table":
                self.table = _Table(values)
            else:
                self.out.append(_tag(tag, values))
        elif tag == "table":
            self.nested += 1
        elif self.cell is not None or self.nested:
            if self.cell is not None and tag not in _INLINE:
                self.cell.words.append(" ")
        elif tag == "tr":
            self.table.rows.append([])
        elif tag in _CELLS:
            if not self.table.rows:
                self.table.rows.append([])
            keep = {k: v for k, v in values.items() if k in ("align", "colspan", "rowspan")}
            self.cell = _Cell(tag, keep)
            self.table.rows[-1].append(self.cell)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.table is None:
            self.out.append(_tag(tag, {k: v or "" for k, v in attrs}))
        elif self.cell is not None:
            self.cell.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.table is None:
            self.out.append(f"</{tag}>")
        elif tag == "table" and self.nested:
            self.nested -= 1
        elif tag == "table":
            self.out.append(_table_html(self.table))
            self.table = self.cell = None
        elif tag in _CELLS and not self.nested:
            self.cell = None
        elif self.cell is not None and tag not in _INLINE:
            self.cell.words.append(" ")

    def handle_data(self, data: str) -> None:
        if self.table is None:
            self.out.append(html.escape(data, quote=False))
        elif self.cell is not None:
            self.cell.words.append(data)


def fpdf_html(sanitised: str) -> str:
    """`sanitised` HTML (nh3's output) as fpdf2's HTML writer can lay it out."""
    fitter = _Fitter()
    fitter.feed(sanitised)
    fitter.close()
    if fitter.table is not None:  # nh3 closes every tag; kept whole all the same
        fitter.out.append(_table_html(fitter.table))
    return "".join(fitter.out)


_PRE = re.compile(r"<pre>(?:<code[^>]*>)?(.*?)(?:</code>)?</pre>", re.S)
_CONTAINER = re.compile(r"<(/?)(?:ul|ol|blockquote|table)\b")


def split_code_blocks(fitted: str) -> list[tuple[str, str]]:
    """`fitted` HTML as ("html", part) and ("code", text as typed) in order: a code block
    at the top level (not in a list, quote or table) becomes its own "code" part."""
    parts: list[tuple[str, str]] = []
    last = 0
    for block in _PRE.finditer(fitted):
        opened = sum(
            -1 if tag.group(1) else 1 for tag in _CONTAINER.finditer(fitted, 0, block.start())
        )
        if opened:
            continue
        parts.append(("html", fitted[last : block.start()]))
        parts.append(("code", html.unescape(block.group(1)).rstrip("\n")))
        last = block.end()
    parts.append(("html", fitted[last:]))
    return [(kind, part) for kind, part in parts if kind == "code" or part.strip()]
