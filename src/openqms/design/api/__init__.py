"""Design controls' endpoints (/api/v1/design/…), one file per area (api/<area>.py);
every change goes through `design.actions`, records come through `design.access` (404
for missing and forbidden). The same actions as the pages."""

from ninja import Router

router = Router(tags=["design"])

# Each area's endpoints are added to `router` by importing its file (api/<area>.py),
# one line per area in its own section.
# --- pages
from openqms.design.api import pages as _pages  # noqa: E402, F401

# isort: split
# --- trace
from openqms.design.api import trace as _trace  # noqa: E402,F401

# isort: split
# --- imports
from openqms.design.api import imports as _imports  # noqa: E402, F401

# isort: split
# --- evidence
from openqms.design.api import evidence as _evidence  # noqa: E402,F401

# isort: split
# --- baselines
from openqms.design.api import baselines as _baselines  # noqa: E402,F401

# isort: split
# --- risk
from openqms.design.api import risk as _risk  # noqa: E402, F401

# isort: split
# --- software
from openqms.design.api import software as _software  # noqa: E402, F401

# isort: split
# --- config
from openqms.design.api import config as _config  # noqa: E402, F401
