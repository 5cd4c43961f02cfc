"""Design controls' domain errors (views show them as messages, the API as 4xx)."""

from openqms.core.errors import DomainError


class StaleEdit(DomainError):
    """The item changed since the editor loaded it: nothing was written."""

    code = "stale_edit"
    status = 409
