"""Template tags every quality record's page uses: `{% record_tail record %}` at the end
of a record's page shows what it is linked to (both ways) as a small graph and as a
list, what may be raised from it (a CAPA from a complaint…), links typed by hand and
their removal (for MANAGE holders), and the links to its PDF and its history."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from openqms.core.access import has_permission
from openqms.core.links import key_of, linked
from openqms.core.registry import AUDIT_READ
from openqms.events import graph
from openqms.events.clocks import deadline_text
from openqms.events.forms.across import LinkForm
from openqms.events.kinds import KINDS
from openqms.events.registry import MANAGE

register = template.Library()


def _raisable(user: Any, record: Any) -> list[tuple[str, str]]:
    """(label, url) of each kind that may be raised from `record`, for `user`."""
    object_type, object_id = key_of(record)
    found = []
    for kind in KINDS.values():
        if record.KIND not in kind.raised_from or not kind.create_url:
            continue
        if not (kind.create_permission and has_permission(user, kind.create_permission)):
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
    key = key_of(record)
    kind = getattr(record, "KIND", "")
    may_link = kind in KINDS and has_permission(user, MANAGE)
    return {
        "record": record,
        "csrf_token": context.get("csrf_token"),
        "links": linked(user, record),
        "graph_svg": graph.svg(graph.build(user, key)),
        "raisable": _raisable(user, record),
        "may_link": may_link,
        "link_form": LinkForm(auto_id=f"id_link_{record.pk}_%s") if may_link else None,
        "link_url": _url("events:link-add", kind, record.pk) if kind in KINDS else "",
        "pdf_url": _url("events:record-pdf", kind, record.pk) if kind in KINDS else "",
        "trail_url": (
            reverse("core:audit") + "?" + urlencode({"object_type": key[0], "object_id": key[1]})
            if has_permission(user, AUDIT_READ)
            else ""
        ),
    }


def _url(name: str, kind: str, pk: int) -> str:
    try:
        return reverse(name, args=[kind, pk])
    except NoReverseMatch:
        return ""


@register.filter
def uk_deadline(deadline_at: Any) -> str:
    """`{{ decision.deadline_at|uk_deadline }}`: "end of Fri 4 Dec 2026 (UK time)"."""
    return deadline_text(deadline_at)
