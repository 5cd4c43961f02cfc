"""What design hears from other modules (module.py `listens`): a new quality event for a
device with a risk file opens a risk review (ISO 14971 clause 10)."""

from __future__ import annotations

from typing import Any

from openqms.design.actions.risk import reviews


def quality_event_opened(record: Any) -> None:
    """events.record_opened: `record` is a complaint, incident report, trend report or CAPA."""
    reviews.record_opened(record)
