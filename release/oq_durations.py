#!/usr/bin/env python3
"""Record how long each test file of the operational test set took, for OQ's split.

    python3 release/oq_durations.py validation.json [...]

Reads the report(s) of whole `openqms validate` runs (CI's wheel smoke keeps one when
OPENQMS_SMOKE_KEEP=1), adds up each test file's seconds (the mean over the reports), and
writes src/openqms/validation/data/oq-durations.json, which the wheel carries: OQ then
gives its two processes equal shares of time (validation/oq.py, split).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/openqms/validation/data/oq-durations.json"


def main(reports: list[str]) -> None:
    if not reports:
        sys.exit(__doc__)
    totals: dict[str, float] = defaultdict(float)
    for report in reports:
        for outcome in json.loads(Path(report).read_text())["oq"]["outcomes"]:
            totals[outcome["nodeid"].split("::")[0]] += outcome["seconds"] / len(reports)
    body = {name: round(seconds, 1) for name, seconds in sorted(totals.items())}
    OUT.write_text(json.dumps(body, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}: {len(body)} files, {sum(body.values()):.0f} s in all")


if __name__ == "__main__":
    main(sys.argv[1:])
