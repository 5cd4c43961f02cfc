"""The trail masks a health-data field at the top level of an event's changes only, so
`audit.record` refuses one nested deeper for that object type (a module's programming
error), writing nothing."""

import pytest
from django.db import transaction

from openqms.core import audit
from openqms.testing import event_count, last_event

pytestmark = pytest.mark.django_db
EDITED = {"actor": None, "action": "testapp.specimen.edited", "object_id": "1"}


@pytest.mark.parametrize(
    "changes",
    [
        {"patient": [None, {"patient_details": "Mrs A. Example"}]},
        {"people": [{"name": "A"}, {"patient_details": "Mrs A. Example"}]},
        {"attachment": {"meta": {"patient_details": "Mrs A. Example"}}},
    ],
)
def test_a_nested_health_data_field_is_refused_and_nothing_written(changes):
    before = event_count()
    nested = pytest.raises(
        ValueError, match=r"patient_details of testapp\.specimen is nested under"
    )
    with nested, transaction.atomic():
        audit.record(object_type="testapp.specimen", changes=changes, **EDITED)
    assert event_count() == before


def test_at_the_top_level_or_for_another_object_type_it_is_recorded():
    with transaction.atomic():
        audit.record(
            object_type="testapp.specimen",
            changes={"patient_details": [None, "Mrs A. Example"]},
            **EDITED,
        )
        audit.record(
            object_type="testapp.other",
            changes={"note": {"patient_details": "a field of another record"}},
            **EDITED,
        )
    assert last_event().object_type == "testapp.other"
