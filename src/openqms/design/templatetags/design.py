"""Template helpers of design pages."""

from django import template

register = template.Library()


@register.filter
def label_in(code: str, labels: dict) -> str:
    """The readable label of `code` in `labels` (a gap rule's message), or the code."""
    return labels.get(code, code)
