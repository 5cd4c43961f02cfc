"""A sample record class for retention tests: specimens (the test-only app's records)
under a temporary module that says when each one closed and which devices it concerns."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from openqms.core import modules
from openqms.core.modules import DeviceDates, Module, RecordClass
from openqms.testapp.models import Specimen

CODE = "sample.specimen"
OBJECT_TYPE = "testapp.specimen"
TODAY = dt.date(2026, 6, 1)


@dataclass
class Sample:
    closed: dict[str, dt.date | None] = field(default_factory=dict)
    devices: dict[str, list[DeviceDates]] = field(default_factory=dict)


RELEASED, LAST_PLACED = dt.date(2010, 1, 1), dt.date(2011, 1, 1)


def device(
    released=RELEASED, last_placed=LAST_PLACED, support_ended=None, lifetime=1
) -> DeviceDates:
    """A device's dates; by default released and off the market long ago, lifetime 1 year,
    so only the dates a test names decide the end."""
    return DeviceDates("RhythmCheck 2.1", released, last_placed, support_ended, lifetime)


@contextmanager
def sample_class(years=5, counted_from="closed", minimum_years=2, confidentiality="internal"):
    sample = Sample()

    def classes():
        return [
            RecordClass(
                code=CODE,
                label="Specimen records",
                object_type=OBJECT_TYPE,
                years=years,
                counted_from=counted_from,
                minimum_years=minimum_years,
                confidentiality=confidentiality,
                closed=lambda ids: {i: sample.closed.get(i) for i in ids},
            )
        ]

    def device_dates(object_type, ids):
        if object_type != OBJECT_TYPE:
            return {}
        return {i: sample.devices[i] for i in ids if i in sample.devices}

    with modules.temporarily(
        Module(label="sample", record_classes=classes, device_dates=device_dates)
    ):
        yield sample


def specimen(cast, closed_on: dt.date | None, sample: Sample):
    """A specimen (test set-up, not a step under test) closed on the given day."""
    made = Specimen.objects.create(title="Batch record 7", body="Lot 7", author=cast.author)
    sample.closed[str(made.pk)] = closed_on
    return made
