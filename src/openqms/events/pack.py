"""What each area contributes to a device's PMS data pack (a period's complaints,
incidents, FSCAs, trends, NCs, CAPAs, exposure) and to the PMS pack sent to the MHRA
on request: `section(device, start, end) -> PackSection`, one function per area, listed
by dotted path below and imported when a pack is built (an area not installed yet is
skipped; a test checks every path resolves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

SECTIONS = [
    "openqms.events.actions.complaints.pack_section",
    "openqms.events.actions.vigilance.pack_section",
    "openqms.events.actions.fsca.pack_section",
    "openqms.events.actions.trends.pack_section",
    "openqms.events.actions.pms.pack_section",
    "openqms.events.actions.nonconformance.pack_section",
    "openqms.events.actions.capa.pack_section",
]


@dataclass(frozen=True)
class PackSection:
    title: str  # "Complaints"
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]  # no health data: a pack leaves the QMS
    summary: str = ""  # one line for the index ("12 complaints, 3 reportable")
    # Files to put in the ZIP beside the index: (name inside the ZIP, bytes), e.g. each
    # incident report's PDF and JSON, the trend chart's SVG.
    files: Sequence[tuple[str, bytes]] = field(default_factory=tuple)


def sections(device: Any, start: dt.date, end: dt.date) -> list[PackSection]:
    found = []
    for path in SECTIONS:  # every area is installed: a path that does not resolve fails
        found.append(import_string(path)(device, start, end))
    return found
