"""Many writers at once leave one unbroken chain holding every event (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from openqms.core import audit, chain
from openqms.core.models import AuditEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)
THREADS, EACH = 8, 25


def test_concurrent_writers_leave_one_valid_chain(flushable_db):
    barrier = threading.Barrier(THREADS)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(EACH):
                with transaction.atomic(durable=True):
                    audit.record(
                        actor=None,
                        action="core.user.updated",
                        object_type="t",
                        object_id=f"{n}-{i}",
                        changes={"n": n, "i": i},
                    )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    report = chain.verify_chain()
    assert report.ok, report.summary()
    assert report.checked == THREADS * EACH
    ids = set(AuditEvent.objects.values_list("object_id", flat=True))
    assert ids == {f"{n}-{i}" for n in range(THREADS) for i in range(EACH)}
