"""Device register endpoints: devices, their markets, UDIs, lifecycle and registration
(register.py), the configuration rows, and the medical device files (files.py). Objects
come through devices.access (404 for missing and forbidden alike) and every change goes
through devices.actions, so the pages and the API audit the same."""

from openqms.devices.api import files, register  # noqa: F401  (they add the endpoints)
from openqms.devices.api.common import router

__all__ = ["router"]
