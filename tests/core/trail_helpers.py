"""Helpers of the audit-trail tests: events written at a chosen time."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import transaction

from openqms.core import audit


@contextmanager
def written_at(monkeypatch, when: dt.datetime):
    """Events appended inside the block are stamped `when` (the trail stamps now)."""
    with monkeypatch.context() as patched:
        patched.setattr(audit.timezone, "now", lambda: when)
        yield


def record_at(monkeypatch, when: dt.datetime, **fields) -> audit.AuditEvent:
    with written_at(monkeypatch, when), transaction.atomic():
        return audit.record(**fields)
