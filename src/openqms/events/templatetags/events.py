"""Template tags every quality record's page uses: `{% record_tail record %}` at the end
of a record's page shows what it is linked to (both ways), what may be raised from it
(a CAPA from a complaint…), and the links to its PDF and its history."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from openqms.core.access import has_permission
from openqms.core.links import key_of, linked
from openqms.events.kinds import KINDS
from openqms.events.registry import LOG, MANAGE

register = template.Library()


def _raisable(user: Any, record: Any) -> list[tuple[str, str]]:
    """(label, url) of each kind that may be raised from `record`, for `user`."""
    if not (has_permission(user, LOG) or has_permission(user, MANAGE)):
        return []
    object_type, object_id = key_of(record)
    found = []
    for kind in KINDS.values():
        if record.KIND not in kind.raised_from or not kind.create_url:
            continue
        try:
            url = reverse(kind.create_url)
        except NoReverseMatch:  # that area is not installed
            continue
        found.append(
            (
                f"Raise {'an' if kind.label[0] in 'aeiouAEIOU' else 'a'} {kind.label}",
                f"{url}?from={object_type}:{object_id}",
            )
        )
    return found


@register.inclusion_tag("events/record_tail.html", takes_context=True)
def record_tail(context: dict[str, Any], record: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "record": record,
        "links": linked(user, record),
        "raisable": _raisable(user, record),
    }
