"""A release's section of CHANGELOG.md, as customers read it (docs/validation.md).

The wheel carries CHANGELOG.md (setup.py copies it to openqms/validation/data/), so an
installed instance has its release notes and the operational test set can check them;
a checkout reads the repository's.

`release_section(text, version)` returns the section of `## [version] - YYYY-MM-DD`
or raises ChangelogError saying what is missing: the four headings in order (New,
Changed, Fixed, Known anomalies; "- None." where there is nothing to say), and for each
known anomaly its risk (`**Risk: low|medium|high**`) and a `**Workaround:**`.
`release/build.py` refuses to build a version whose section fails this.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGED = Path(__file__).resolve().parent / "data" / "CHANGELOG.md"
CHECKOUT = Path(__file__).resolve().parents[3] / "CHANGELOG.md"
HEADINGS = ("New", "Changed", "Fixed", "Known anomalies")


class ChangelogError(Exception):
    pass


def path() -> Path:
    """The release notes: the packaged copy, or the checkout's."""
    return PACKAGED if PACKAGED.is_file() else CHECKOUT


def release_section(text: str, version: str) -> str:
    heading = re.compile(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", re.M)
    start = heading.search(text)
    if not start:
        raise ChangelogError(f"CHANGELOG.md has no section for {version} ('## [{version}] - date')")
    following = re.compile(r"^## ", re.M).search(text, start.end())
    section = text[start.end() : following.start() if following else len(text)]
    found = re.findall(r"^### (.+?)\s*$", section, flags=re.M)
    missing = [h for h in HEADINGS if h not in found]
    if missing:
        raise ChangelogError(f"the section for {version} lacks {', '.join(missing)}")
    if [h for h in found if h in HEADINGS] != list(HEADINGS):
        raise ChangelogError(f"the section for {version} has its headings out of order")
    anomalies = section.split("### Known anomalies", 1)[1]
    anomalies = re.split(r"^#{3,4} ", anomalies, maxsplit=1, flags=re.M)[0]
    items = re.split(r"^- ", anomalies, flags=re.M)[1:]
    for number, item in enumerate(items, 1):
        if item.strip().rstrip(".") == "None":
            continue
        if not re.search(r"\*\*Risk: (low|medium|high)", item):
            raise ChangelogError(f"known anomaly {number} of {version} states no risk")
        if "**Workaround:**" not in item:
            raise ChangelogError(f"known anomaly {number} of {version} names no workaround")
    return section
