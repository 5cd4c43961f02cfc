"""Retention of the QMS frame's records (ISO 13485 4.2.5). Defaults: 15 years after a
record closed (a scope version superseded, a notification answered, a certificate
retired or expired, a process retired), never less than 10. These records show which
devices and sites the certified QMS covered when the devices were made, so they are kept
as long as the devices' technical documentation (UK MDR 2002 and EU MDR Annex IX: 10
years after the last device placed on the market, 15 for implantables). The organisation
record is not a class: it is one row, edited in place, whose history is the trail.
Administrators change the years through core's retention settings."""

from __future__ import annotations

from collections.abc import Iterable

from openqms.core.modules import RecordClass
from openqms.core.retention import Closed, closed_by
from openqms.qms.models import Certificate, Process, ScopeNotification, ScopeVersion


def _class(code: str, label: str, object_type: str, closed: Closed) -> RecordClass:
    return RecordClass(
        code=code,
        label=label,
        object_type=object_type,
        years=15,
        counted_from="closed",
        minimum_years=10,
        closed=closed,
    )


def record_classes() -> Iterable[RecordClass]:
    yield _class(
        "qms.scope",
        "QMS scope versions",
        "qms.scopeversion",
        closed_by(ScopeVersion, "superseded_at"),
    )
    yield _class(
        "qms.notification",
        "Notifications of scope changes to approved bodies",
        "qms.scopenotification",
        closed_by(ScopeNotification, "answered_on"),
    )
    yield _class(
        "qms.certificate",
        "QMS certificates",
        "qms.certificate",
        closed_by(Certificate, "retired_at", "expires_on"),
    )
    yield _class("qms.process", "QMS processes", "qms.process", closed_by(Process, "retired_at"))
