"""How quality records reach views, endpoints and commands: everyone holding a role
reads them (complaints, NCs and CAPAs are worked on across the company; the auditor
reads everything), but health data in them only with core.health_data:read
(core.confidentiality). Someone with no role reads nothing. Changes need the area's
permission, checked again by each action. Missing and forbidden look the same
(NotFound)."""

from __future__ import annotations

from openqms.core.access import (
    get_member_record,
    is_member,
    require_member,
    require_member_holding,
    visible_to_members,
)

# The shared shape lives in core.access (every module whose records all members read
# builds on it); these names are what this module's views, endpoints and commands use.
require_reader = require_member
is_reader = is_member
need = require_member_holding
visible = visible_to_members
get_for_user = get_member_record
