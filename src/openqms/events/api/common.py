"""What every area's endpoints share: who may call them (anyone signed in who holds a
role; someone with no rights meets the same 404 on every endpoint). A signature is
posted as core.api.SignatureIn (password, code, the content hash shown, reason)."""

from __future__ import annotations

from typing import Any

from ninja import Field

from openqms.core.api import MEMBERS, SignatureIn, SignatureOut

AUTH = MEMBERS
MAX_ID = 2**31 - 1  # the database's integer: a larger id is refused (422), never a 500


def record_id(description: str = "A record's id") -> Any:
    """The one optional, bounded id field of list filters and inputs (?device=…)."""
    return Field(None, ge=1, le=MAX_ID, description=description)


__all__ = ["AUTH", "MAX_ID", "SignatureIn", "SignatureOut", "record_id"]
