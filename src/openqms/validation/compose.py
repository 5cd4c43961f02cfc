"""One validation run put together: OQ run between two looks at the audit chain, the
report's body (validation.verdicts) with its delta against the last approved report
(validation.delta), its files, and the storing of the record."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from openqms.core import modules
from openqms.core.files import open_stored
from openqms.validation import actions, delta, pdf, report, upgrade, verdicts
from openqms.validation.iq import Check
from openqms.validation.models import ValidationReport
from openqms.validation.results import OqRun


@dataclass
class Composed:
    body: dict[str, Any]
    json_bytes: bytes
    pdf_bytes: bytes
    previous: ValidationReport | None
    head: actions.Head

    def store(self) -> ValidationReport:
        return actions.store_report(
            body=self.body,
            json_bytes=self.json_bytes,
            pdf_bytes=self.pdf_bytes,
            compared_with=self.previous,
            expected_head=self.head,
        )


def body_of(stored: ValidationReport) -> dict[str, Any]:
    with open_stored(stored.json_file) as stream:
        return json.loads(stream.read())


def compose(*, started: datetime, checks: Sequence[Check], run_oq: Callable[[], OqRun]) -> Composed:
    """Run OQ (noting the chain's head first) and build the report from what it found."""
    head = actions.chain_head()
    oq = run_oq()
    previous = actions.last_approved()
    body = verdicts.build(
        environment=report.environment(),
        started_at=started.isoformat(),
        finished_at=timezone.now().isoformat(),
        checks=checks,
        oq=oq,
        declared=modules.requirements(),
        delta=None,
        upgrades=upgrade.events_since(previous.stored_at if previous else None),
    )
    if previous is not None:
        body["delta"] = delta.compare(body_of(previous), body, against=previous.number)
    text = json.dumps(body, indent=1, sort_keys=True) + "\n"
    return Composed(body, text.encode(), pdf.render(body), previous, head)


def write_files(folder: Path, composed: Composed) -> list[Path]:
    json_path, pdf_path = folder / "validation.json", folder / "validation.pdf"
    json_path.write_bytes(composed.json_bytes)
    pdf_path.write_bytes(composed.pdf_bytes)
    return [json_path, pdf_path]
