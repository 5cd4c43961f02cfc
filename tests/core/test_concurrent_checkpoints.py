"""Checkpoints made while events are written, by two ticks at once, keep the log in the
order of the rows, sign each head once, and verify: the log file's lock orders the
checkpoint makers, the chain lock keeps the head still while one is signed."""

import json
import threading

import pytest
from django.db import connection, connections

from openqms.core import checkpoints
from openqms.core.models import Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import log_lines


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_checkpoint_makers_and_a_writer_at_once_leave_an_anchored_trail(flushable_db):
    record_events(3)
    start, failures = threading.Barrier(3), []

    def run(work):
        try:
            start.wait(timeout=60)  # a guard against a hang, not a timing assertion
            work()
        except Exception as error:  # reported below, with the thread's own traceback
            failures.append(error)
        finally:
            connections.close_all()

    def write():
        for _ in range(20):
            record_events(1)

    def sign():
        for _ in range(10):
            checkpoints.make_checkpoint()

    threads = [threading.Thread(target=run, args=(w,)) for w in (write, sign, sign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    checkpoints.make_checkpoint()  # the last events too

    rows = list(Checkpoint.objects.order_by("id"))
    lines = [json.loads(line) for line in log_lines()]
    assert [line["signature"] for line in lines] == [row.signature for row in rows]
    assert len({row.seq for row in rows}) == len(rows)  # each head signed once
    assert [row.seq for row in rows] == sorted(row.seq for row in rows)
    assert rows[-1].seq == 23
    report = checkpoints.verify_anchored()
    assert report.ok, report.summary()
