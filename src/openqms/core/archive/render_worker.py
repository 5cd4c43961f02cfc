"""Worker processes that render an archive's PDFs (see export._rendered).

Spawned like chain_worker's: a clean interpreter with its own database connection. On
PostgreSQL each worker reads in the export's own snapshot (`SET TRANSACTION SNAPSHOT`
with the id the export's transaction gave out with `pg_export_snapshot()`), so what it
renders is exactly what the records in the archive say, whatever is written meanwhile.
Models are imported only once `start` has set Django up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from openqms.core import chain_worker

_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9A-Fa-f]+)?")


def start(settings_module: str, database: dict[str, Any], snapshot_id: str, moment: str) -> None:
    """Set Django up on the parent's database, in one read-only transaction that sees the
    parent's snapshot and stays open for the worker's life; its renderings are dated
    `moment` (ISO 8601), the export's, like those made in the parent."""
    chain_worker.start(settings_module, database)
    from django.db import connection

    from openqms.core import pdf

    pdf.set_archive_moment(dt.datetime.fromisoformat(moment))

    if not _SNAPSHOT_ID.fullmatch(snapshot_id):
        raise ValueError(f"not a PostgreSQL snapshot id: {snapshot_id!r}")
    connection.set_autocommit(False)
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SET takes no bind parameters; the id was checked just above.
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot_id}'")


def render(make: Callable[[], bytes]) -> bytes:
    return make()
