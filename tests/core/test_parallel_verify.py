"""Checking stretches of the chain in several processes finds exactly what one walk finds."""

import pytest
from django.db import connection, transaction

from openqms.core import chain
from openqms.core.triggers import drop_triggers
from openqms.testing import record_events

EVENTS = 30


@pytest.fixture
def committed_chain(flushable_db):
    record_events(EVENTS)


def _both():
    one = chain.verify_chain()
    many = chain.verify_chain(workers=3, parallel_from=1)
    return one, many


def test_an_intact_chain_verifies_in_parallel(committed_chain):
    one, many = _both()
    assert one.ok and many.ok
    assert many == one
    assert many.checked == EVENTS and many.last_seq == EVENTS


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET reason = 'x' WHERE seq = 5",  # inside the first stretch
        "UPDATE core_auditevent SET reason = 'x' WHERE seq = 11",  # first of the second
        "UPDATE core_auditevent SET prev_hash = hash WHERE seq = 21",  # a broken link
        "DELETE FROM core_auditevent WHERE seq = 11",  # a missing event at a boundary
        "DELETE FROM core_auditevent WHERE seq = 27",  # a missing event in the last
        "UPDATE core_auditevent SET object_id = 'moved' WHERE seq = 30",  # the newest
        "DELETE FROM core_auditevent WHERE seq IN (9, 10)",  # the end of the first stretch
        "DELETE FROM core_auditevent WHERE seq BETWEEN 11 AND 20",  # a whole stretch
        "DELETE FROM core_auditevent WHERE seq BETWEEN 10 AND 21",  # across two bounds
    ],
)
def test_parallel_verify_names_the_same_broken_event(committed_chain, sql):
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    one, many = _both()
    assert not one.ok
    assert many == one


def test_inside_a_transaction_the_walk_stays_in_this_process(committed_chain):
    with transaction.atomic():
        report = chain.verify_chain(workers=3, parallel_from=1)
    assert report.ok and report.checked == EVENTS


def test_a_chain_whose_newest_events_were_removed_ends_early_in_both(committed_chain):
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > 25")
    one, many = _both()
    assert one.ok and many == one and many.last_seq == 25
