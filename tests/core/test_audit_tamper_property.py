"""Property: altering any single stored field of any event is caught, at that event."""

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.core import audit, chain
from openqms.core.models import AuditEvent
from openqms.core.triggers import drop_triggers

CHAIN = 8
TEXT_FIELDS = [*audit.HASHED_FIELDS[3:], "hash"]


class _Undo(Exception):
    pass


@pytest.fixture
def stored_chain(db, cast):
    with transaction.atomic():
        for i in range(CHAIN):
            audit.record(
                actor=cast.qa_lead if i % 2 else None,
                action="core.user.updated",
                obj=cast.author,
                changes={"i": [i, i + 1]},
                reason=f"r{i}",
            )
    start = AuditEvent.objects.order_by("seq").first().seq
    return start, cast


def _mutated_report(update):
    """Apply one mutation in a savepoint, verify, and roll the mutation back."""
    report = None
    try:
        with transaction.atomic():
            drop_triggers(connection)
            update()
            report = chain.verify_chain()
            raise _Undo
    except _Undo:
        pass
    return report


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offset=st.integers(0, CHAIN - 1),
    field=st.sampled_from(TEXT_FIELDS),
    # Text a database can hold: no NUL (PostgreSQL) and no lone surrogates (not UTF-8).
    junk=st.text(
        st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=20,
    ),
    how=st.sampled_from(["append", "prepend", "replace"]),
)
def test_any_altered_text_field_is_caught_at_its_event(stored_chain, offset, field, junk, how):
    start, _ = stored_chain
    seq = start + offset
    current = getattr(AuditEvent.objects.get(seq=seq), field)
    if field in ("hash", "prev_hash"):  # keep 64 hex digits: change one of them
        position = len(junk) % 64
        digit = "0" if current[position] != "0" else "1"
        new = current[:position] + digit + current[position + 1 :]
    elif how == "append":
        new = current + junk
    elif how == "prepend":
        new = junk + current
    else:
        new = junk if junk != current else junk + "x"
    report = _mutated_report(lambda: AuditEvent.objects.filter(seq=seq).update(**{field: new}))
    assert not report.ok
    assert report.broken_seq == seq


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(0, CHAIN - 1), micros=st.integers(1, 10**9) | st.integers(-(10**9), -1))
def test_an_altered_time_is_caught(stored_chain, offset, micros):
    start, _ = stored_chain
    seq = start + offset
    at = AuditEvent.objects.get(seq=seq).at + dt.timedelta(microseconds=micros)
    report = _mutated_report(lambda: AuditEvent.objects.filter(seq=seq).update(at=at))
    assert not report.ok and report.broken_seq == seq


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(0, CHAIN - 1))
def test_an_altered_actor_is_caught(stored_chain, offset):
    start, cast = stored_chain
    seq = start + offset
    event = AuditEvent.objects.get(seq=seq)
    # someone else, or nobody where there was someone (and someone where there was nobody)
    other = None if event.actor_id is not None and offset % 2 else cast.outsider.pk
    report = _mutated_report(lambda: AuditEvent.objects.filter(seq=seq).update(actor_id=other))
    assert not report.ok and report.broken_seq == seq


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(0, CHAIN - 1))
def test_a_renumbered_event_is_caught(stored_chain, offset):
    start, _ = stored_chain
    seq = start + offset
    report = _mutated_report(lambda: AuditEvent.objects.filter(seq=seq).update(seq=seq + 10_000))
    assert not report.ok and report.broken_seq == seq
