"""The environment every benchmark runs in: a throwaway data folder, OpenQMS's own
settings, and on PostgreSQL a fresh database of the benchmark's own name.

    from bench_env import environment   # benchmarks/ is on sys.path when run as a script
    environment("postgres", data_dir, "openqms_docbench")
"""

from __future__ import annotations

import os

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def environment(engine: str, data_dir: str, database: str, server: str = PG_SERVER) -> str:
    """Set the variables OpenQMS reads; on PostgreSQL drop and create `database`.

    Returns the database URL ("" on SQLite, which lives in `data_dir`)."""
    os.environ.update(
        OPENQMS_DATA_DIR=data_dir,
        OPENQMS_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="openqms.settings",
        OPENQMS_ALLOWED_HOSTS="*",
        OPENQMS_SSL_REDIRECT="false",
    )
    os.environ.setdefault("OPENQMS_LOG_LEVEL", "WARNING")
    if engine != "postgres":
        os.environ.pop("OPENQMS_DATABASE_URL", None)
        return ""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(database)
            )
        )
    url = os.environ["OPENQMS_DATABASE_URL"] = f"{server}/{database}"
    return url
