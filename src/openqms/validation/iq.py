"""Installation qualification (IQ): is this instance installed as the release says?

Each check returns a `Check` (id, title, expected, found, passed, deviation), so the
report, the JSON and a later signed record read the same structure. IQ only reads: it
writes nothing to the database (the audit chain's head is the same before and after).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import openqms
from openqms.core import keys
from openqms.core.triggers import expected_triggers, missing_triggers
from openqms.validation import lock, manifest
from openqms.validation.actions import recorded_version

MIN_PYTHON = (3, 11)  # pyproject.toml requires-python
MIN_SQLITE = (3, 31)  # Django 5.2's minimum
MIN_POSTGRES = 14  # Django 5.2's minimum
CLOCK_TOLERANCE = dt.timedelta(seconds=2)
BUILD_HINT = (
    "Qualify a release install: build it with `python3 release/build.py` (or take a "
    'published release), install it as docs/admin-guide.md "Production install" says, '
    "and run `openqms validate` there."
)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    expected: str
    found: str
    passed: bool
    deviation: str = ""


@dataclass(frozen=True)
class Sources:
    """Where IQ looks: the manifest and lock file (None: the ones the package carries)
    and the folder the package is installed in (None: where `openqms` was imported)."""

    manifest: Path | None = None
    lock: Path | None = None
    root: Path | None = None


def package_root() -> Path:
    return Path(openqms.__file__).resolve().parent.parent


def installed_from() -> str:
    """How the running package was installed: "release", or why it is not one."""
    try:
        dist = metadata.distribution("openqms")
    except metadata.PackageNotFoundError:
        return "a source checkout (not installed by pip)"
    if not dist.read_text("INSTALLER"):  # e.g. the egg-info a build leaves in src/
        return f"a source checkout at {package_root()} (not installed by pip)"
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    if direct.get("dir_info", {}).get("editable"):
        return f"an editable install of {direct.get('url', 'a checkout')}"
    if Path(str(dist.locate_file("openqms"))).resolve() != package_root() / "openqms":
        return f"a source checkout at {package_root()} (a release is installed elsewhere)"
    return "release"


def _fail(id: str, title: str, expected: str, found: str, why: str) -> Check:
    return Check(id, title, expected, found, False, why)


def check_files(sources: Sources) -> list[Check]:
    """IQ-01 the version and IQ-02 every installed file against the release manifest."""
    root = sources.root or package_root()
    path = sources.manifest or manifest.PACKAGED
    title = "Installed files match the release manifest"
    if sources.manifest is None and not path.exists():
        how = installed_from()
        why = (
            f"This is {how}: it carries no release manifest, so the installed files "
            f"cannot be checked. {BUILD_HINT}"
            if how != "release"
            else "The installed package carries no release manifest (it was not built by "
            f"release/build.py). {BUILD_HINT}"
        )
        return [
            _fail(
                "IQ-01",
                "Installed version is the released one",
                "a release manifest",
                f"OpenQMS {openqms.__version__}, {how}",
                why,
            ),
            _fail("IQ-02", title, "a release manifest", "none", why),
        ]
    try:
        release = manifest.read(path)
    except manifest.ManifestError as exc:
        return [
            _fail(
                "IQ-01", "Installed version is the released one", str(path), "unreadable", str(exc)
            ),
            _fail("IQ-02", title, str(path), "unreadable", str(exc)),
        ]
    same = release.version == openqms.__version__
    version = Check(
        "IQ-01",
        "Installed version is the released one",
        f"OpenQMS {release.version}",
        f"OpenQMS {openqms.__version__}",
        same,
        "" if same else f"The manifest is for {release.version}; {openqms.__version__} runs.",
    )
    found = manifest.compare(release, root)
    parts = [
        f"{label}: {', '.join(names)}"
        for label, names in (
            ("missing", found.missing),
            ("changed", found.changed),
            ("not in the release", found.extra),
        )
        if names
    ]
    files = Check(
        "IQ-02",
        title,
        f"{len(release.files)} files with their SHA-256 ({path.name})",
        f"{found.checked} checked under {root}; "
        + (
            f"{len(found.missing)} missing, {len(found.changed)} changed, {len(found.extra)} extra"
            if parts
            else "all match"
        ),
        found.clean,
        "; ".join(parts),
    )
    return [version, files]


def check_dependencies(sources: Sources) -> Check:
    """IQ-03 every locked dependency installed at its locked version."""
    title = "Dependencies installed at the locked versions"
    path = sources.lock or lock.PACKAGED
    try:
        pins = lock.read(path)
    except lock.LockError as exc:
        return _fail("IQ-03", title, str(path), "unreadable", str(exc))
    wrong = lock.differences(pins, lock.installed())
    deviation = "; ".join(
        f"{d.name}: locked {d.locked}, "
        + (f"installed {d.installed}" if d.installed else "not installed")
        for d in wrong
    )
    return Check(
        "IQ-03",
        title,
        f"{len(pins)} pins in {path.name}",
        f"{len(pins) - len(wrong)} of {len(pins)} as locked",
        not wrong,
        deviation,
    )


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = ".".join(map(str, MIN_PYTHON))
    return Check(
        "IQ-04",
        "Python version supported",
        f"{need} or later",
        f"{version} ({sys.executable})",
        ok,
        "" if ok else f"Python {version} is older than {need}.",
    )


def check_database() -> Check:
    title = "Database engine and server version supported"
    if connection.vendor == "sqlite":
        found = tuple(int(p) for p in sqlite3.sqlite_version.split(".")[:2])
        ok = found >= MIN_SQLITE
        need = "SQLite {}.{} or later, or PostgreSQL {} or later".format(*MIN_SQLITE, MIN_POSTGRES)
        return Check(
            "IQ-05",
            title,
            need,
            f"SQLite {sqlite3.sqlite_version}",
            ok,
            "" if ok else f"SQLite {sqlite3.sqlite_version} is too old.",
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            number = int(cursor.fetchone()[0])  # e.g. 160004
        major, minor = number // 10000, number % 10000
        ok = major >= MIN_POSTGRES
        return Check(
            "IQ-05",
            title,
            f"PostgreSQL {MIN_POSTGRES} or later",
            f"PostgreSQL {major}.{minor}",
            ok,
            "" if ok else f"PostgreSQL {major} is older than {MIN_POSTGRES}.",
        )
    return _fail(
        "IQ-05",
        title,
        "SQLite or PostgreSQL",
        connection.vendor,
        f"{connection.vendor} is not a supported database engine.",
    )


def check_migrations() -> Check:
    # Every migration the code has, not just the way to the leaves: a record deleted
    # under an applied later migration still counts as pending (showmigrations' view).
    loader = MigrationExecutor(connection).loader
    applied = set(loader.applied_migrations)
    pending = sorted(f"{app}.{name}" for app, name in set(loader.graph.nodes) - applied)
    return Check(
        "IQ-06",
        "Database migrations all applied",
        "none pending",
        f"{len(applied)} applied, {len(pending)} pending",
        not pending,
        f"pending: {', '.join(pending)}. Run `openqms migrate`." if pending else "",
    )


def check_triggers() -> Check:
    missing = missing_triggers(connection)
    total = len(expected_triggers(connection))
    return Check(
        "IQ-07",
        "Protective database triggers present",
        f"{total} triggers",
        f"{total - len(missing)} of {total}",
        not missing,
        f"missing: {', '.join(missing)}. Run `openqms migrate` (it reinstalls them), "
        "find out who removed them, and run `openqms audit verify`."
        if missing
        else "",
    )


def check_deploy() -> Check:
    messages = [
        m
        for m in checks.run_checks(include_deployment_checks=True, databases=["default"])
        if m.level >= checks.WARNING
    ]
    listed = "; ".join(f"{m.id}: {m.msg}" for m in messages)
    return Check(
        "IQ-08",
        "Deployment checks (`openqms check --deploy`) raise nothing",
        "no errors or warnings",
        f"{len(messages)} errors or warnings",
        not messages,
        listed,
    )


def _private(path: Path, what: str, kind: str) -> tuple[str, str]:
    """(found, deviation): the path exists as a `kind` and others cannot read it."""
    if not path.exists():
        return "missing", f"{what} {path} does not exist."
    if (kind == "dir") != path.is_dir():
        return "wrong kind", f"{what} {path} is not a {'folder' if kind == 'dir' else 'file'}."
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXO | (stat.S_IRWXG if kind == "file" else stat.S_IWGRP)):
        return f"mode {mode:o}", f"{what} {path} is open to others (mode {mode:o})."
    return f"mode {mode:o}", ""


def check_locations() -> list[Check]:
    """IQ-09 the file store and IQ-10 the keys: present, and closed to other users."""
    default: dict[str, Any] = settings.STORAGES["default"]  # type: ignore[assignment]
    options: dict[str, Any] = default.get("OPTIONS", {})
    store = Path(options.get("location") or settings.MEDIA_ROOT)
    found, why = _private(store, "The file store", "dir")
    result = [
        Check(
            "IQ-09",
            "File store present and private",
            f"{store}: a folder others cannot read or write",
            found,
            not why,
            why,
        )
    ]
    key = Path(settings.AUDIT_KEY)
    found, why = _private(key, "The audit key", "file")
    if not why and (problem := keys.unusable_because()):
        why = f"The audit key {key} cannot be used: {problem}"
    if settings.DEMO:  # the demo keeps its secret key in a file; production sets it
        secret = Path(settings.DATA_DIR) / "secret_key"
        secret_found, secret_why = _private(secret, "The secret key file", "file")
        found = f"{found}; secret key file {secret_found}"
        why = " ".join(filter(None, (why, secret_why)))
    result.append(
        Check(
            "IQ-10",
            "Keys present and private",
            f"{key}: a file only its owner reads (mode 600)",
            found,
            not why,
            why,
        )
    )
    return result


def ntp_status() -> str:
    """What the OS says about clock synchronisation ("" when it does not say)."""
    tool = shutil.which("timedatectl")
    if not tool:
        return ""
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command, no input from anyone)
            [tool, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return {"yes": "synchronised", "no": "not synchronised"}.get(done.stdout.strip(), "")


def database_now() -> dt.datetime:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
        return dt.datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=dt.UTC)


def check_time(ntp: Callable[[], str] = ntp_status) -> Check:
    """IQ-11 the app's clock and the database server's agree; the OS keeps time by NTP."""
    before = timezone.now()
    server = database_now()
    after = timezone.now()
    app = before + (after - before) / 2
    gap = abs(server - app)
    synced = ntp()
    found = f"differ by {gap.total_seconds():.3f} s; NTP: {synced or 'the OS does not say'}"
    why = []
    if gap > CLOCK_TOLERANCE:
        why.append(f"The database clock is {gap.total_seconds():.1f} s off the app's.")
    if synced == "not synchronised":
        why.append("The OS reports its clock is not synchronised by NTP.")
    return Check(
        "IQ-11",
        "Time source: app and database clocks agree",
        f"within {CLOCK_TOLERANCE.total_seconds():.0f} s; NTP synchronised",
        found,
        not why,
        " ".join(why),
    )


def check_recorded_version() -> Check:
    """IQ-12 the version the audit trail last recorded for this database (`migrate`'s
    installed or upgraded event) is the one running: a release installed without
    `openqms migrate` has not recorded its upgrade, and the next report would not list it."""
    running = openqms.__version__
    recorded = recorded_version()
    why = ""
    if recorded is None:
        why = (
            "No version is recorded in the audit trail. Run `openqms migrate`: it records "
            "this installation (core.system.installed), or the upgrade from 0.1.0."
        )
    elif recorded != running:
        why = (
            f"The audit trail last recorded {recorded}, but {running} is running: it was "
            "installed (or a backup or archive of another release was loaded) without "
            "`openqms migrate` after it. Run `openqms migrate` (it records the upgrade), "
            "then validate again."
        )
    return Check(
        "IQ-12",
        "Running version recorded in the audit trail (by migrate)",
        running,
        recorded or "none recorded",
        not why,
        why,
    )


def run(sources: Sources | None = None) -> list[Check]:
    sources = sources or Sources()
    return [
        *check_files(sources),
        check_dependencies(sources),
        check_python(),
        check_database(),
        check_migrations(),
        check_triggers(),
        check_deploy(),
        *check_locations(),
        check_time(),
        check_recorded_version(),
    ]


def as_dicts(results: list[Check]) -> list[dict]:
    return [asdict(r) for r in results]
