"""Text every module shares: checking typed text, and Markdown shown as safe HTML.

Markdown has one renderer, configured here and used by every page, the editor's preview
and the PDFs (core/pdf.py): markdown-it-py, CommonMark plus GitHub's tables,
strikethrough and task lists (mdit-py-plugins). CommonMark nests a sub-list under the
text of its item, so two spaces are enough under "- "; under "1. " CommonMark needs three,
and `nest_two_space_sub_lists` lets two do there too, as the editor's hint promises
(docs/architecture.md, "Markdown").
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from openqms.core.errors import InvalidInput

# Lists and quotes inside each other: deeper than this is refused at save, and an older
# body that deep is shown as written, with a note (a PDF cannot lay it out across a page).
MAX_NESTING = 10
TOO_DEEP_NOTE = (
    f"This text nests lists or quotes more than {MAX_NESTING} levels deep, deeper than "
    "OpenQMS lays out, so it is shown exactly as written."
)
# markdown-it stops parsing (and drops the rest) past maxNesting open tokens: a list level
# opens two (list, item), a quote one; the margin lets a body one level too deep parse
# whole, so that its depth is seen and it is refused or shown as written, never cut.
MARKDOWN = (
    MarkdownIt("commonmark", {"html": True, "maxNesting": 2 * MAX_NESTING + 8})
    .enable(["table", "strikethrough"])
    .use(tasklists_plugin)
)
_CONTAINER = re.compile(r"<(/?)(?:ul|ol|blockquote)\b")
_TASK_BOX = '<input class="task-list-item-checkbox"'
# On a page a wide table scrolls inside its own box (a phone's width), which keyboard
# users can scroll too (tabindex); nh3 keeps that box's two attributes and no other
# `class` or `tabindex` a body's raw HTML brings. The PDF's tags leave the box out.
_SCROLL_BOX = {"class": "table-scroll", "tabindex": "0"}
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "div": set(_SCROLL_BOX)}


def _only_the_scroll_box(tag: str, attribute: str, value: str) -> str | None:
    if tag == "div" and attribute in _SCROLL_BOX:
        return value if value == _SCROLL_BOX[attribute] else None
    return value


def _table_in_a_box(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    html = self.renderToken(tokens, idx, options, env)
    if tokens[idx].type == "table_open":
        return '<div class="table-scroll" tabindex="0">' + html
    return html + "</div>"


MARKDOWN.add_render_rule("table_open", _table_in_a_box)
MARKDOWN.add_render_rule("table_close", _table_in_a_box)


# What one database engine stores and the other refuses: PostgreSQL text and jsonb cannot
# hold NUL, and its UTF-8 refuses lone surrogates; SQLite keeps both. Refused alike on
# every engine at input, so every record (and every archive) loads into either.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Holds a NUL character or a lone surrogate, which cannot be stored."


def unstorable_at(data: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path of the first text (value or key) in JSON-like `data` that cannot be
    stored on every engine, or None."""
    if isinstance(data, str):
        return path if UNSTORABLE.search(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            where = (*path, str(key))
            if isinstance(key, str) and UNSTORABLE.search(key):
                return where
            found = unstorable_at(value, where)
            if found is not None:
                return found
    if isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = unstorable_at(value, (*path, str(index)))
            if found is not None:
                return found
    return None


def refuse_unstorable(value: str, field: str) -> str:
    if UNSTORABLE.search(value):
        raise InvalidInput(
            f"The {field.replace('_', ' ')} holds a character that cannot be stored "
            "(a NUL character or a lone surrogate).",
            fields={field: UNSTORABLE_MESSAGE},
        )
    return value


def clean_text(value: str, field: str, *, required: bool = True, limit: int = 200) -> str:
    """`value` stripped; refused (naming `field`) when empty but required, too long, or
    holding what a database engine cannot store."""
    value = refuse_unstorable(value.strip(), field)
    if required and not value:
        raise InvalidInput(f"Give the {field.replace('_', ' ')}.", fields={field: "Required."})
    if len(value) > limit:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} is longer than {limit} characters.",
            fields={field: f"At most {limit} characters."},
        )
    return value


_ORDERED_ITEM = re.compile(r"( *)(\d{1,9}[.)])( {1,4})(?=\S)")
_LIST_MARKER = re.compile(r" *(?:[-+*]|\d{1,9}[.)])(?: |$)")
_FENCE = re.compile(r" *(`{3,}|~{3,})")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def nest_two_space_sub_lists(text: str) -> str:
    """`text` with a sub-list indented two spaces under a numbered item ("1. Prepare" /
    "  - Clean") moved in to the item's text, where CommonMark nests it (three spaces
    under "1. ", four under "10. "). The sub-list's following lines move with it. Only a
    list marker right after a numbered item starts a move; fenced code is left alone."""
    out: list[str] = []
    runs: list[tuple[int, int]] = []  # (indent as written where a move starts, spaces added)
    item: tuple[int, int] | None = None  # the last numbered item: (indent, text column)
    fence = ""
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        if fence:  # inside fenced code: moved with its list, never read as Markdown
            out.append(" " * sum(d for _, d in runs) + line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        written = _indent(line)
        while runs and written < runs[-1][0]:
            runs.pop()
        shown = written + sum(d for _, d in runs)
        if item and _LIST_MARKER.match(line) and item[0] + 2 <= shown < item[1]:
            runs.append((written, item[1] - shown))
            shown = item[1]
        line = " " * (shown - written) + line
        out.append(line)
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
        numbered = _ORDERED_ITEM.match(line)
        item = (shown, numbered.end()) if numbered else None
    return "\n".join(out)


def _tokens(text: str) -> list[Token]:
    """The parse, with what a page and a PDF show alike: a task's box as ☐ or ☑ (a PDF
    has no form fields), a column's alignment as the `align` nh3 keeps (not `style`)."""
    tokens = MARKDOWN.parse(nest_two_space_sub_lists(text))
    for token in tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            style = str(token.attrs.pop("style"))
            token.attrs["align"] = style.removeprefix("text-align:")
        for child in token.children or ():
            if child.type == "html_inline" and child.content.startswith(_TASK_BOX):
                child.type = "text"
                child.content = "☑" if 'checked="checked"' in child.content else "☐"
    return tokens


def markdown_html(text: str, *, tags: set[str] | None = None) -> str:
    """Markdown as HTML, sanitised by nh3: a body can hold raw HTML, and nh3 keeps only
    harmless tags (no scripts, no event handlers, no javascript: links), or only `tags`."""
    html = MARKDOWN.renderer.render(_tokens(text), MARKDOWN.options, {})
    if tags is None:
        return nh3.clean(html, attributes=_ATTRIBUTES, attribute_filter=_only_the_scroll_box)
    return nh3.clean(html, tags=tags)


def nesting_depth(html: str) -> int:
    """How deep lists and quotes sit inside each other in sanitised `html` (nh3 writes
    well-formed tags, and any "<" of the text as "&lt;")."""
    depth = deepest = 0
    for match in _CONTAINER.finditer(html):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def too_deep(html: str) -> bool:
    return nesting_depth(html) > MAX_NESTING


def markdown_problem(text: str) -> str | None:
    """Why a Markdown body cannot be saved, or None."""
    if too_deep(markdown_html(text)):
        return (
            f"nests lists or quotes more than {MAX_NESTING} levels deep; "
            "use fewer levels (e.g. split it into sections)"
        )
    return None


def check_markdown(text: str, field: str) -> str:
    """`text`, or refused naming `field` when it cannot be laid out (too deep a nesting
    of lists and quotes: a page and a PDF could not show it faithfully)."""
    problem = markdown_problem(text)
    if problem:
        name = field.replace("_", " ")
        raise InvalidInput(
            f"The {name} {problem}.",
            fields={field: f"At most {MAX_NESTING} levels of lists and quotes inside each other."},
        )
    return text


def render_markdown(text: str) -> SafeString:
    """Markdown for a page; a body stored before the depth limit, and too deep, is shown
    as written after a note."""
    html = markdown_html(text)
    if too_deep(html):
        html = f'<p class="note"><em>{escape(TOO_DEEP_NOTE)}</em></p><pre>{escape(text)}</pre>'
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 in markdown_html, or escaped
