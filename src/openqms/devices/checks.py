"""Format checks for what the register stores: GMDN codes and UDIs.

GS1 identifiers carry a check digit (GS1 General Specifications 7.9), so a mistyped one
is caught here; other issuing agencies' formats vary, so those only need to be given."""

from __future__ import annotations

import re

from openqms.core.errors import InvalidInput
from openqms.devices.models import Agency, UdiKind

_GMDN = re.compile(r"\d{5}")
_GTIN_LENGTHS = (8, 12, 13, 14)
_BASIC_GS1 = re.compile(r"[0-9A-Z]{4,25}")


def gs1_check_digit_ok(digits: str) -> bool:
    """The last digit is the GS1 mod-10 check digit of the others (weights 3, 1, …
    from the right)."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def check_gmdn(code: str) -> str:
    if code and not _GMDN.fullmatch(code):
        raise InvalidInput(
            "A GMDN code is 5 digits.", fields={"gmdn_code": "5 digits, e.g. 47527."}
        )
    return code


def check_udi(kind: str, agency: str, code: str) -> str:
    code = code.strip()
    if kind not in UdiKind.values:
        raise InvalidInput("Choose Basic UDI-DI or UDI-DI.", fields={"kind": "Unknown."})
    if agency not in Agency.values:
        raise InvalidInput("Choose the issuing agency.", fields={"agency": "Unknown."})
    if not code:
        raise InvalidInput("Give the code.", fields={"code": "Required."})
    if len(code) > 100:
        raise InvalidInput("The code is longer than 100 characters.", fields={"code": "Too long."})
    if agency != Agency.GS1:
        return code
    if kind == UdiKind.DI:
        if not (code.isdigit() and code.isascii() and len(code) in _GTIN_LENGTHS):
            raise InvalidInput(
                "A GS1 UDI-DI is a GTIN: 8, 12, 13 or 14 digits.",
                fields={"code": "8, 12, 13 or 14 digits."},
            )
        if not gs1_check_digit_ok(code):
            raise InvalidInput(
                "The GS1 check digit (the last digit) does not match: check the number.",
                fields={"code": "Check digit does not match."},
            )
    elif not _BASIC_GS1.fullmatch(code):
        raise InvalidInput(
            "A GS1 Basic UDI-DI is 4 to 25 digits or capital letters.",
            fields={"code": "4–25 digits or capital letters."},
        )
    return code
