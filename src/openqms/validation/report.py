"""The IQ report files (iq.json, iq.txt) and the environment every report names."""

from __future__ import annotations

import json
import platform
import sqlite3
import sys
import textwrap
from pathlib import Path

from django.db import connection
from django.utils import timezone

import openqms
from openqms.validation.iq import Check, as_dicts, installed_from


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return str(cursor.fetchone()[0])
    return sqlite3.sqlite_version


def environment() -> dict[str, str]:
    return {
        "openqms": openqms.__version__,
        "installed_as": installed_from(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "database": connection.vendor,
        "database_version": database_version(),
        "host": platform.node(),
    }


def table(results: list[Check]) -> str:
    lines = [f"{'check':6}  {'result':6}  title / found"]
    for r in results:
        lines.append(f"{r.id:6}  {'pass' if r.passed else 'FAIL':6}  {r.title}")
        lines.append(f"{'':16}found: {r.found}")
        if r.deviation:
            wrapped = textwrap.wrap(r.deviation, 84, break_on_hyphens=False, break_long_words=False)
            lines.extend(f"{'':16}! {part}" for part in wrapped)
    return "\n".join(lines)


def summary(results: list[Check]) -> str:
    failed = [r.id for r in results if not r.passed]
    if not failed:
        return f"IQ passed: {len(results)} of {len(results)} checks."
    return f"IQ FAILED: {len(failed)} of {len(results)} checks ({', '.join(failed)})."


def write(folder: Path, results: list[Check], started: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    env = environment()
    body = {
        "format": "openqms-iq/1",
        "started_at": started,
        "finished_at": timezone.now().isoformat(),
        "environment": env,
        "passed": all(r.passed for r in results),
        "checks": as_dicts(results),
    }
    json_path, text_path = folder / "iq.json", folder / "iq.txt"
    json_path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    head = [
        "OpenQMS installation qualification (IQ)",
        *(f"{key}: {value}" for key, value in env.items()),
        f"started: {started}",
        "",
        table(results),
        "",
        summary(results),
    ]
    text_path.write_text("\n".join(head) + "\n", encoding="utf-8")
    return [json_path, text_path]
