from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from openqms.core import modules
from openqms.core.access import has_permission


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False  # the page shown is this link's (aria-current="page")


@dataclass(frozen=True)
class NavGroup:
    """Entries sharing a NavEntry.group: one menu named by the group, in the bar where
    its first entry (by order) would stand."""

    label: str
    links: tuple[NavLink, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    @property
    def slug(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.label.lower())


def _current_url(path: str, urls: list[str]) -> str | None:
    """The link the page belongs to: the longest link address that starts the path
    ("/" only for itself, or every page would belong to My tasks)."""
    matches = [u for u in urls if u == path or (u != "/" and path.startswith(u))]
    return max(matches, key=len, default=None)


def nav_items(user, path: str) -> list[NavLink | NavGroup]:
    """The main navigation for `user`: links and groups, in the entries' order."""
    entries = [
        (entry, reverse(entry.url_name))
        for entry in modules.nav_entries()
        if entry.permission is None or has_permission(user, entry.permission)
    ]
    current = _current_url(path, [url for _, url in entries])
    items: list[NavLink | NavGroup] = []
    groups: dict[str, list[NavLink]] = {}
    for entry, url in entries:
        link = NavLink(entry.label, url, url == current)
        if not entry.group:
            items.append(link)
        elif entry.group in groups:
            groups[entry.group].append(link)
        else:
            groups[entry.group] = [link]
            items.append(NavGroup(entry.group, ()))  # a placeholder keeps the position
    return [
        NavGroup(item.label, tuple(groups[item.label])) if isinstance(item, NavGroup) else item
        for item in items
    ]


def navigation(request):
    """The main navigation from every module's entries (core names no module), plus the
    context each module adds to every page (its module.py `context=`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"nav": nav_items(user, request.path)}
    for provide in modules.context_providers():
        context.update(provide(request))
    return context
