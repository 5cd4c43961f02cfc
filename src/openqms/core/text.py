"""Text every module shares: checking typed text, and Markdown shown as safe HTML."""

from __future__ import annotations

from collections.abc import Iterable

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from openqms.core.errors import InvalidInput

PAGE_EXTENSIONS = ("tables", "fenced_code", "sane_lists")


def clean_text(value: str, field: str, *, required: bool = True, limit: int = 200) -> str:
    """`value` stripped; refused (naming `field`) when empty but required, or too long."""
    value = value.strip()
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
