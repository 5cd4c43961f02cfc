"""Quality events' endpoints (/api/v1/events/…), one file per area (api/<area>.py);
every change goes through `events.actions`, records come through `events.access`
(404 for missing and forbidden). The same actions as the pages."""

from ninja import Router

router = Router(tags=["events"])

# Each area's endpoints are added to `router` by importing its file (api/<area>.py).
# One line per area, in this order: complaints, vigilance, fsca, trends, pms,
# nonconformance, capa, across.
from openqms.events.api import common, complaints, nonconformance, pms  # noqa: E402, F401

# isort: split

# isort: split

# isort: split
from openqms.events.api import vigilance  # noqa: E402, F401

# isort: split
from openqms.events.api import fsca  # noqa: E402, F401

# isort: split
from openqms.events.api import across  # noqa: E402, F401  (across: links, procedures)

# --- capa
from openqms.events.api import capa as _capa  # noqa: E402, F401

# isort: split
from openqms.events.api import trends  # noqa: E402, F401

__all__ = ["router"]
