"""Database triggers that make the audit table append-only, on SQLite and PostgreSQL.

Installed by migration 0002. Tests that must empty every table between runs
(browser and concurrency tests) drop and reinstall them around the flush.
"""

from django.db import connection

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
_POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP; END;
       $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE
       ON core_auditevent FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()""",
    """CREATE OR REPLACE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE
       ON core_auditevent FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse()""",
]
_DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update",
        "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent",
        "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    ],
}


def trigger_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}[vendor]


def install_triggers(conn=connection) -> None:
    with conn.cursor() as cursor:
        for sql in trigger_sql(conn.vendor):
            cursor.execute(sql)


def drop_triggers(conn=connection) -> None:
    with conn.cursor() as cursor:
        for sql in _DROP[conn.vendor]:
            cursor.execute(sql)
