"""Who may use the organisation and scope endpoints: anyone signed in who holds a role
(core.api.MEMBERS). Someone with no rights meets the same 404 on every endpoint."""

from __future__ import annotations

from openqms.core.api import MEMBERS

AUTH = MEMBERS
