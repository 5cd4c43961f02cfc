"""Shared input checks of the document-control actions."""

from openqms.core.errors import InvalidInput


def clean_text(value: str, field: str, *, required: bool = True, limit: int = 200) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"Give the {field.replace('_', ' ')}.", fields={field: "Required."})
    if len(value) > limit:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} is longer than {limit} characters.",
            fields={field: f"At most {limit} characters."},
        )
    return value
