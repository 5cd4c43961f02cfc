"""Template helpers for health data (core.confidentiality).

    {% load confidentiality %}
    {% reveal specimen as health %}
    {{ health.patient_details|health_value }}

`reveal` answers the record's health-data fields for the signed-in person: the values
for a holder of core.health_data:read (the read recorded once per page, however often
the page shows them), "Health data — hidden" for anyone else."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from openqms.core import confidentiality

register = template.Library()


@register.simple_tag(takes_context=True)
def reveal(context: template.Context, record: Any) -> dict:
    return confidentiality.revealed_for(context["request"], record)


@register.filter
def health_value(value: Any) -> str:
    """A revealed value as text, or the hidden notice marked up for the eye and ear."""
    if value == confidentiality.HIDDEN:
        return format_html('<span class="hidden-health">{}</span>', value)
    return format_html("{}", value if value not in ("", None) else "—")
