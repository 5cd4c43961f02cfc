"""What every area's endpoints share: who may call them (anyone signed in who holds a
role; someone with no rights meets the same 404 on every endpoint). A signature is
posted as core.api.SignatureIn (password, code, the content hash shown, reason)."""

from __future__ import annotations

from openqms.core.api import MEMBERS, SignatureIn, SignatureOut

AUTH = MEMBERS

__all__ = ["AUTH", "SignatureIn", "SignatureOut"]
