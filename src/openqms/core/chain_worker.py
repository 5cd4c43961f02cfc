"""Worker processes that check stretches of a long audit chain (see chain.verify_chain).

They are spawned, not forked: each starts a clean interpreter with its own database
connection, so nothing the parent holds open (a connection, a socket, an event loop) is
shared with it. This module imports no models at the top, since Django is set up only
once `start` has run in the new process.
"""

from __future__ import annotations

import os
from typing import Any


def start(settings_module: str, database: dict[str, Any]) -> None:
    """Set Django up in the new process, on exactly the parent's database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.conf import settings

    settings.DATABASES["default"] = database  # before anything connects
    django.setup()


def walk(start_seq: int, stop_seq: int):
    from openqms.core import chain

    return chain.walk_range(start_seq, stop_seq)
