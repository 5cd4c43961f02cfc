import pytest

from openqms.events.actions.complaints import category_of

ROWS = [
    # related, death, deterioration, public health, unanticipated → category
    (False, True, True, True, True, "not_reportable"),
    (True, False, False, False, False, "not_reportable"),
    (True, False, False, False, True, "not_reportable"),
    (True, False, False, True, False, "public_health_threat"),
    (True, True, True, True, True, "public_health_threat"),
    (True, True, False, False, False, "death_or_unanticipated"),
    (True, False, True, False, True, "death_or_unanticipated"),
    (True, False, True, False, False, "other_serious"),
]


@pytest.mark.verifies("EVT-006")
@pytest.mark.parametrize(("related", "death", "worse", "public", "unexpected", "expected"), ROWS)
def test_the_category_follows_the_answers(related, death, worse, public, unexpected, expected):
    found = category_of(
        device_related=related,
        death=death,
        serious_deterioration=worse,
        public_health_threat=public,
        unanticipated=unexpected,
    )
    assert found == expected
