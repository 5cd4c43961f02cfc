"""QMS frame endpoints, one file per area (api/<area>.py); every change goes through
`qms.actions`, objects come through `qms.access` (404 for missing and forbidden)."""

from ninja import Router

router = Router()

# Each area adds its endpoints to `router` (imported here so they exist):
# from openqms.qms.api import organisation, scope  (api/organisation.py, api/scope.py)
# from openqms.qms.api import processes  (api/processes.py)
# from openqms.qms.api import certificates, clauses  (api/certificates.py, api/clauses.py)
from openqms.qms.api import certificates, clauses  # noqa: E402, F401, I001
# from openqms.qms.api import families  (api/families.py)

__all__ = ["router"]
