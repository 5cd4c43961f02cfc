"""Cells that leave OpenQMS for a spreadsheet (CSV and XLSX exports) are shown as text,
never run: a spreadsheet runs a cell that starts with = + - @ as a formula, and names,
titles, reasons and user agents are typed by people (or sent by their browsers). One
function for every export: the training matrix and the audit trail alike.
"""

from __future__ import annotations

from typing import Any

# What makes a spreadsheet read a cell as a formula, full-width forms included; leading
# blanks and line breaks are skipped by some spreadsheets, so they are looked past.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def safe(value: Any) -> Any:
    """A cell value a spreadsheet shows as text, never runs (a leading apostrophe)."""
    if isinstance(value, str) and value.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value
