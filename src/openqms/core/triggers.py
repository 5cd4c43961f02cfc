"""Database triggers that keep regulated rows from being rewritten or removed, whoever
connects: the audit trail is append-only; a signature's manifestation can only be
voided, never edited or deleted; a user is never deleted (21 CFR 11.10(e), 11.70); a
checkpoint of the audit chain is never changed or deleted.

Installed by migrations 0002 (audit trail), 0004 (signatures, users), 0011
(checkpoints) and 0012 (audit-trail reviews: signed records, never changed or deleted),
which cannot be reversed, and again after every `migrate` (post_migrate): SQLite
rebuilds a table to alter it, and a rebuilt table has lost its triggers. Tests that must
empty every table between runs (browser and concurrency tests) drop and reinstall them
around the flush.
"""

from django.db import connection, connections

# What a signature says; only voided_at and void_reason may change.
_SIGNED_COLUMNS = (
    "signer_id",
    "printed_name",
    "signed_at",
    "meaning",
    "object_type",
    "object_id",
    "object_version",
    "content_hash",
    "manifest_hash",
    "audit_event_id",
)


def _sqlite_refuse(name: str, when: str, table: str, message: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


_SQLITE = {
    "audit": [
        _sqlite_refuse(
            "core_auditevent_no_update",
            "BEFORE UPDATE",
            "core_auditevent",
            "audit events are append-only: UPDATE refused",
        ),
        _sqlite_refuse(
            "core_auditevent_no_delete",
            "BEFORE DELETE",
            "core_auditevent",
            "audit events are append-only: DELETE refused",
        ),
    ],
    "records": [
        _sqlite_refuse(
            "core_signature_no_update",
            f"BEFORE UPDATE OF {', '.join(_SIGNED_COLUMNS)}",
            "core_signature",
            "signatures cannot be changed, only voided",
        ),
        _sqlite_refuse(
            "core_signature_no_delete",
            "BEFORE DELETE",
            "core_signature",
            "signatures cannot be deleted, only voided",
        ),
        _sqlite_refuse(
            "core_user_no_delete",
            "BEFORE DELETE",
            "core_user",
            "users are deactivated, never deleted",
        ),
    ],
    "checkpoints": [
        _sqlite_refuse(
            "core_checkpoint_no_update",
            "BEFORE UPDATE",
            "core_checkpoint",
            "checkpoints are append-only: UPDATE refused",
        ),
        _sqlite_refuse(
            "core_checkpoint_no_delete",
            "BEFORE DELETE",
            "core_checkpoint",
            "checkpoints are append-only: DELETE refused",
        ),
    ],
    "reviews": [
        _sqlite_refuse(
            "core_auditreview_no_update",
            "BEFORE UPDATE",
            "core_auditreview",
            "audit-trail reviews are signed records: UPDATE refused",
        ),
        _sqlite_refuse(
            "core_auditreview_no_delete",
            "BEFORE DELETE",
            "core_auditreview",
            "audit-trail reviews are signed records: DELETE refused",
        ),
    ],
}

_SIGNED_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _SIGNED_COLUMNS)
_POSTGRES = {
    "audit": [
        """CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP; END;
           $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE
           ON core_auditevent FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()""",
        """CREATE OR REPLACE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE
           ON core_auditevent FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse()""",
    ],
    "records": [
        """CREATE OR REPLACE FUNCTION core_record_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '% on % refused: regulated rows are kept as written',
           TG_OP, TG_TABLE_NAME; END; $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE TRIGGER core_signature_no_update BEFORE UPDATE ON core_signature
           FOR EACH ROW WHEN ({_SIGNED_CHANGED}) EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_signature_no_delete BEFORE DELETE ON core_signature
           FOR EACH ROW EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_signature_no_truncate BEFORE TRUNCATE
           ON core_signature FOR EACH STATEMENT EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_user_no_delete BEFORE DELETE ON core_user
           FOR EACH ROW EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_user_no_truncate BEFORE TRUNCATE ON core_user
           FOR EACH STATEMENT EXECUTE FUNCTION core_record_refuse()""",
    ],
    "checkpoints": [
        """CREATE OR REPLACE FUNCTION core_record_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '% on % refused: regulated rows are kept as written',
           TG_OP, TG_TABLE_NAME; END; $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER core_checkpoint_no_change BEFORE UPDATE OR DELETE
           ON core_checkpoint FOR EACH ROW EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_checkpoint_no_truncate BEFORE TRUNCATE
           ON core_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION core_record_refuse()""",
    ],
    "reviews": [
        """CREATE OR REPLACE FUNCTION core_record_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '% on % refused: regulated rows are kept as written',
           TG_OP, TG_TABLE_NAME; END; $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER core_auditreview_no_change BEFORE UPDATE OR DELETE
           ON core_auditreview FOR EACH ROW EXECUTE FUNCTION core_record_refuse()""",
        """CREATE OR REPLACE TRIGGER core_auditreview_no_truncate BEFORE TRUNCATE
           ON core_auditreview FOR EACH STATEMENT EXECUTE FUNCTION core_record_refuse()""",
    ],
}
_DROP = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "core_auditevent_no_update",
            "core_auditevent_no_delete",
            "core_signature_no_update",
            "core_signature_no_delete",
            "core_user_no_delete",
            "core_checkpoint_no_update",
            "core_checkpoint_no_delete",
            "core_auditreview_no_update",
            "core_auditreview_no_delete",
        )
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {name} ON {table}"
        for name, table in (
            ("core_auditevent_no_change", "core_auditevent"),
            ("core_auditevent_no_truncate", "core_auditevent"),
            ("core_signature_no_update", "core_signature"),
            ("core_signature_no_delete", "core_signature"),
            ("core_signature_no_truncate", "core_signature"),
            ("core_user_no_delete", "core_user"),
            ("core_user_no_truncate", "core_user"),
            ("core_checkpoint_no_change", "core_checkpoint"),
            ("core_checkpoint_no_truncate", "core_checkpoint"),
            ("core_auditreview_no_change", "core_auditreview"),
            ("core_auditreview_no_truncate", "core_auditreview"),
        )
    ],
}


def trigger_sql(vendor: str, group: str) -> list[str]:
    return {"sqlite": _SQLITE, "postgresql": _POSTGRES}[vendor][group]


GROUPS = ("audit", "records", "checkpoints", "reviews")


def install_triggers(conn=connection, groups: tuple[str, ...] = GROUPS) -> None:
    with conn.cursor() as cursor:
        for group in groups:
            for sql in trigger_sql(conn.vendor, group):
                cursor.execute(sql)


def expected_triggers(conn=connection) -> set[str]:
    """The names of the protective triggers this database engine should hold."""
    return {
        sql.split(" IF NOT EXISTS ")[-1].split()[0]
        if conn.vendor == "sqlite"
        else sql.split(" TRIGGER ")[1].split()[0]
        for group in GROUPS
        for sql in trigger_sql(conn.vendor, group)
        if " TRIGGER " in sql
    }


def missing_triggers(conn=connection) -> list[str]:
    """The protective triggers that are not in the database (none, when all is well)."""
    names = expected_triggers(conn)
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
    return sorted(names - present)


def drop_triggers(conn=connection) -> None:
    with conn.cursor() as cursor:
        for sql in _DROP[conn.vendor]:
            cursor.execute(sql)


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: put back any trigger a table rebuild removed (all are idempotent)."""
    conn = connections[using]
    if missing_triggers(conn):
        install_triggers(conn)
