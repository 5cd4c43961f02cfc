"""Three outcomes the OQ runner must report exactly (tests/validation/test_oq_run.py)."""

import pytest
from django.db import connection


@pytest.mark.verifies("VAL-017")
def test_a_passing_sample_sees_its_scratch_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_skipped_sample():
    pytest.skip("the sample is skipped on purpose")


@pytest.mark.verifies("VAL-017")
def test_a_failing_sample():
    assert 1 + 1 == 3, "the sample fails on purpose"


def test_an_unmarked_sample_is_not_part_of_the_operational_set():
    raise AssertionError("never runs in OQ")
