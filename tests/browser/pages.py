"""Which pages a browser sweep visits: every GET address of the URL conf that takes no
parameter (as .ci/wheel_smoke.py lists them), then every address linked from a visited
page, so detail pages and pages added later are found without a list to keep up."""

from __future__ import annotations

import inspect
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if p.pattern.converters or "<" in str(p.pattern):
            continue
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            view = inspect.unwrap(p.callback)
            view = getattr(view, "func", view)
            if (getattr(view, "__module__", "") or "").startswith(("openqms.", "ninja.")):
                yield "/" + route.lstrip("^").rstrip("$")


def start_paths() -> list[str]:
    """The addresses without parameters, in URL-conf order, each once."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def view_name(url: str) -> str | None:
    """The URL-conf name of an address of this site ("documents:revision"), or None."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name or match.route


def local(href: str, origin: str) -> str | None:
    """The path and query of a link to this site (no fragment), or None."""
    parts = urlsplit(href)
    if parts.scheme not in {"http", "https"} or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
