"""QMS frame endpoints, one file per area (api/<area>.py); every change goes through
`qms.actions`, objects come through `qms.access` (404 for missing and forbidden)."""

from ninja import Router

router = Router()

# Each area's endpoints are added to `router` by importing its file (api/<area>.py).
from openqms.qms.api import (  # noqa: E402, F401
    certificates,
    clauses,
    families,
    organisation,
    processes,
    scope,
)

__all__ = ["router"]
