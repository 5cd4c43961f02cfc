"""Text every module shares: checking typed text, and Markdown shown as safe HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from openqms.core.errors import InvalidInput

PAGE_EXTENSIONS = ("tables", "fenced_code", "sane_lists")


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


def markdown_html(
    text: str, *, extensions: Iterable[str] = PAGE_EXTENSIONS, tags: set[str] | None = None
) -> str:
    """Markdown as HTML, sanitised by nh3: a body can hold raw HTML, and nh3 keeps only
    harmless tags (no scripts, no event handlers, no javascript: links), or only `tags`."""
    html = markdown.markdown(text, extensions=list(extensions))
    return nh3.clean(html, tags=tags) if tags is not None else nh3.clean(html)


def render_markdown(text: str) -> SafeString:
    """Markdown for a page."""
    return mark_safe(markdown_html(text))  # noqa: S308 - sanitised by nh3 in markdown_html
