"""Design controls' endpoints (/api/v1/design/…), one file per area (api/<area>.py);
every change goes through `design.actions`, records come through `design.access` (404
for missing and forbidden). The same actions as the pages."""

from ninja import Router

router = Router(tags=["design"])

# Each area's endpoints are added to `router` by importing its file (api/<area>.py),
# one line per area in its own section.
# --- pages
# isort: split
# --- trace
# isort: split
# --- imports
from openqms.design.api import imports as _imports  # noqa: E402, F401
# isort: split
# --- evidence
# isort: split
# --- baselines
# isort: split
# --- risk
# isort: split
# --- software
