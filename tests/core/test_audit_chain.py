import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from openqms.core import audit, chain
from openqms.core.models import AuditEvent
from openqms.core.triggers import drop_triggers
from openqms.testing import changes_of, event_count, record_events


@pytest.mark.verifies("CORE-003")
def test_events_link_each_to_the_previous_one(db):
    first, second, third = record_events(3)
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]


@pytest.mark.verifies("CORE-001")
def test_event_stores_who_what_and_why(db, cast):
    before = event_count()
    with transaction.atomic():
        event = audit.record(
            actor=cast.qa_lead,
            action="core.user.updated",
            obj=cast.author,
            changes={"email": ["a@x.test", "b@x.test"]},
            reason="typo",
        )
    event.refresh_from_db()
    assert event_count() == before + 1
    assert event.actor_id == cast.qa_lead.pk
    assert event.actor_name == "Quinn Avery"
    assert (event.object_type, event.object_id) == ("core.user", str(cast.author.pk))
    assert changes_of(event) == {"email": ["a@x.test", "b@x.test"]}
    assert event.reason == "typo"
    assert event.at.tzinfo is not None


@pytest.mark.verifies("CORE-001", refusal=True)
def test_recording_outside_a_transaction_is_refused(flushable_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor=None, action="core.user.updated", object_type="x", object_id=1)


@pytest.mark.verifies("CORE-001", refusal=True)
def test_undeclared_action_code_is_refused(db):
    with pytest.raises(LookupError), transaction.atomic():
        audit.record(actor=None, action="core.no.such.thing", object_type="x", object_id=1)
    assert event_count() == 0


@pytest.mark.verifies("CORE-003")
def test_intact_chain_verifies(db):
    record_events(25)
    report = chain.verify_chain()
    assert report.ok
    assert report.checked == 25
    assert report.last_seq == 25
    assert report.last_hash == AuditEvent.objects.get(seq=25).hash


def test_empty_chain_verifies(db):
    report = chain.verify_chain()
    assert report.ok and report.checked == 0


@pytest.mark.verifies("CORE-002", refusal=True)
def test_database_refuses_update_of_an_event(db):
    record_events(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq = 1")
    assert AuditEvent.objects.get(seq=1).reason == ""


@pytest.mark.verifies("CORE-002", refusal=True)
def test_database_refuses_delete_of_an_event(db):
    record_events(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE seq = 2")
    assert event_count() == 2


@pytest.mark.verifies("CORE-002", refusal=True)
def test_orm_update_and_delete_are_refused_too(db):
    record_events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(actor_name="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()
    assert AuditEvent.objects.get(seq=1).actor_name == "system"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_postgres_refuses_truncate(db):
    record_events(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
        cursor.execute("TRUNCATE core_auditevent CASCADE")
    assert event_count() == 1


def _tamper(sql, params=()):
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.verifies("CORE-003", refusal=True)
def test_verify_names_a_deleted_event(db):
    record_events(10)
    _tamper("DELETE FROM core_auditevent WHERE seq = 4")
    report = chain.verify_chain()
    assert not report.ok
    assert report.broken_seq == 4
    assert "missing" in report.problem
    assert report.checked == 3


def test_verify_names_the_last_event_deleted_only_by_count(db):
    # Removing the newest event leaves a shorter chain that is still consistent; the
    # head is reported so it can be compared with an earlier verification or export.
    record_events(5)
    _tamper("DELETE FROM core_auditevent WHERE seq = 5")
    report = chain.verify_chain()
    assert report.ok and report.last_seq == 4


def test_verify_names_two_swapped_events(db):
    events = record_events(6)
    a, b = events[2], events[3]
    _tamper("UPDATE core_auditevent SET seq = -1 WHERE seq = %s", [a.seq])
    _tamper("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    _tamper("UPDATE core_auditevent SET seq = %s WHERE seq = -1", [b.seq])
    report = chain.verify_chain()
    assert not report.ok
    assert report.broken_seq == a.seq


def test_verify_reports_an_inserted_event(db):
    record_events(3)
    _tamper(
        "INSERT INTO core_auditevent (seq, at, actor_name, action, object_type, object_id, "
        "changes, reason, ip, user_agent, prev_hash, hash) SELECT 4, at, actor_name, action, "
        "object_type, object_id, changes, 'forged', ip, user_agent, hash, %s "
        "FROM core_auditevent WHERE seq = 3",
        ["f" * 64],
    )
    report = chain.verify_chain()
    assert not report.ok and report.broken_seq == 4
    assert "altered" in report.problem


def test_a_duplicate_hash_cannot_be_stored(db):
    events = record_events(2)
    drop_triggers(connection)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(hash=events[0].hash)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 7, 1, 12, 30, 15, 123456, tzinfo=dt.UTC),  # British Summer Time
        dt.datetime(2026, 1, 5, 9, 0, 0, 0, tzinfo=dt.UTC),  # no microseconds
        dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC),  # a minute before BST
    ],
)
def test_events_verify_whatever_the_season_or_precision(db, moment):
    with mock.patch("openqms.core.audit.timezone.now", return_value=moment):
        record_events(2)
    assert AuditEvent.objects.get(seq=1).at == moment
    assert chain.verify_chain().ok


def test_text_in_any_script_verifies(db, cast):
    with transaction.atomic():
        audit.record(
            actor=cast.author,
            action="core.user.updated",
            obj=cast.author,
            changes={"name": ["Zoë", "Ζωή 😀 中文"]},
            reason="naïve — “quotes” \n tab\t",
        )
    assert chain.verify_chain().ok


def test_field_boundaries_cannot_be_shifted(db):
    """Moving characters from one field to the next changes the canonical text."""
    a = audit.event_text(1, "t", None, "ab", "c", "", "", "{}", "", "", "", "0")
    b = audit.event_text(1, "t", None, "a", "bc", "", "", "{}", "", "", "", "0")
    assert a != b
    assert audit.event_text(1, "t", None, "~", "", "", "", "", "", "", "", "") != (
        audit.event_text(1, "t", 0, "", "", "", "", "", "", "", "", "")
    )
