from dataclasses import dataclass

from django.urls import reverse

from openqms.core import modules
from openqms.core.access import has_permission


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def navigation(request):
    """The main navigation from every module's entries (core names no module), plus the
    context each module adds to every page (its module.py `context=`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {
        "nav": [
            NavLink(entry.label, reverse(entry.url_name))
            for entry in modules.nav_entries()
            if entry.permission is None or has_permission(user, entry.permission)
        ]
    }
    for provide in modules.context_providers():
        context.update(provide(request))
    return context
