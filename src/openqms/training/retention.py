"""Retention of training records (ISO 13485 4.2.5, 6.2 e). Defaults: 10 years after a
record closed (an assignment closed, a competence record withdrawn or expired), never
less than 2 (ISO 13485 4.2.5's floor). They are the evidence that the people who made
and released the devices were competent, so they are kept, like the devices' technical
documentation, 10 years by default. Administrators change the years through core's
retention settings."""

from __future__ import annotations

from collections.abc import Iterable

from openqms.core.modules import RecordClass
from openqms.core.retention import closed_by
from openqms.training.models import Assignment, CompetenceRecord


def record_classes() -> Iterable[RecordClass]:
    yield RecordClass(
        code="training.assignment",
        label="Training assignments and their completion",
        object_type="training.assignment",
        years=10,
        minimum_years=2,
        closed=closed_by(Assignment, "closed_at"),
    )
    yield RecordClass(
        code="training.competence",
        label="Competence records (education, qualifications, certificates)",
        object_type="training.competencerecord",
        years=10,
        minimum_years=2,
        closed=closed_by(CompetenceRecord, "withdrawn_at", "expires_on"),
    )
