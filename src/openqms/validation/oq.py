"""The operational qualification (OQ): the operational test set, run on a scratch
database of the instance's engine with the instance's own configuration.

The operational test set is every test of the suite carrying `@pytest.mark.verifies`.
`run()` copies the suite (validation.suite) to a fresh temporary folder and starts
pytest there in one or two subprocesses, each with a clean environment: no OPENQMS_*
variable of the instance reaches them (audit key, checkpoint log, S3 bucket, mail), the
data folder and temporary files are in the scratch folder, and on PostgreSQL the
database is one pytest-django creates under a new name ("openqms_oq_<hex>") on the
instance's server and drops afterwards. The instance is only read: its configuration
(validation.config_snapshot) and its database settings.

Each test's outcome comes back through the plugin (validation.oq_plugin) as one JSON
line; `run()` returns them in a `results.OqRun`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import DatabaseError

import openqms
from openqms.validation import config_snapshot, suite
from openqms.validation.results import COLLECTED_SUFFIX, ERROR, OqRun, TestOutcome

# The pytest markers the suite uses, as pyproject.toml declares them (a test compares).
MARKERS = (
    "browser: drives Debian's Chromium through Playwright",
    "postgres_only: needs PostgreSQL (concurrency)",
    "verifies(*ids, refusal=False): the user requirements this test verifies (core.tracing)",
)
NEEDED = ("pytest", "pytest_django", "hypothesis")
INSTALL_HINT = "pip install 'openqms[oq]'"
SCRATCH_PREFIX = "openqms_oq_"
PLUGIN = "openqms.validation.oq_plugin"
CONFIGURATION_FILE = "oq-configuration.json"
DEFAULT_TIMEOUT = 3600  # seconds for the whole run

Progress = Callable[[str], None]


def missing_dependencies() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def instance_engine() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite"


def _scratch_url(db: dict[str, Any], name: str) -> str:
    """The instance's server and account (`db`, its DATABASES entry), with the scratch
    database's name: even code that connects before pytest-django switches databases
    cannot reach the instance's."""
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    account = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{account}{db.get('HOST') or ''}{port}/{name}"


def _instance_database() -> dict[str, Any]:
    from django.conf import settings

    db: dict[str, Any] = settings.DATABASES["default"]
    return db


def clean_environment(scratch: Path, index: int) -> dict[str, str]:
    """The subprocess's environment: the caller's without anything of the instance's
    (OPENQMS_*, Django's settings module, pytest's options, the Python path), plus the
    scratch folder's data and temporary folders."""
    dropped = ("OPENQMS_", "DJANGO_", "PYTEST_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped) and k != "PYTHONPATH"}
    data = scratch / f"data-{index}"
    tmp = scratch / f"tmp-{index}"
    data.mkdir()
    tmp.mkdir()
    package_parent = str(Path(openqms.__file__).resolve().parents[1])
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(scratch), package_parent]),
            "DJANGO_SETTINGS_MODULE": "openqms.settings_test",
            "OPENQMS_DATA_DIR": str(data),
            "TMPDIR": str(tmp),
            "OPENQMS_OQ_RESULTS": str(_results(scratch, index)),
        }
    )
    return env


def _pytest_ini(scratch: Path) -> None:
    markers = "".join(f"\n    {m}" for m in MARKERS)
    (scratch / "pytest.ini").write_text(
        "[pytest]\n"
        "DJANGO_SETTINGS_MODULE = openqms.settings_test\n"
        "testpaths = tests\n"
        "addopts = --strict-markers -p no:cacheprovider\n"
        f"markers ={markers}\n",
        encoding="utf-8",
    )


# Seconds each test file's marked tests took in a whole OQ run (release/oq_durations.py
# writes it from a run's validation.json): the two processes get equal shares of time, not
# of bytes, as a few files (the archive round trip, the backup drill) run long.
DURATIONS = Path(__file__).resolve().parent / "data" / "oq-durations.json"


def durations() -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads(DURATIONS.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def split(root: Path, ways: int, known: dict[str, float] | None = None) -> list[list[str]]:
    """The suite's test files in `ways` groups that should take about as long: each file
    weighs what it took in the run `known` comes from (default: `durations()`); a file
    not measured there weighs its size, at the measured files' seconds per byte (bytes
    alone when nothing is measured). Paths are relative to the scratch folder."""
    known = durations() if known is None else known
    tests = [
        "tests/" + p.relative_to(root).as_posix()
        for p in suite.files(root)
        if suite.is_test_file(p.name) and not suite.is_sample(p.relative_to(root))
    ]
    size = {t: (root.parent / t).stat().st_size for t in tests}
    measured = [t for t in tests if t in known]
    per_byte = (
        sum(known[t] for t in measured) / max(1, sum(size[t] for t in measured))
        if measured
        else 1.0
    )
    weight = {t: known[t] if t in known else size[t] * per_byte for t in tests}
    groups: list[list[str]] = [[] for _ in range(ways)]
    loads = [0.0] * ways
    for test in sorted(tests, key=lambda t: (-weight[t], t)):  # longest first (LPT)
        lightest = loads.index(min(loads))
        groups[lightest].append(test)
        loads[lightest] += weight[test]
    return [sorted(group) for group in groups if group]


def _check_selection(selection: Sequence[str]) -> str:
    for item in selection:
        if not item or item.startswith("-"):
            return f"A selection names test paths or node ids, not {item!r}."
    return ""


def run(
    *,
    output: Path,
    selection: Sequence[str] = (),
    progress: Progress | None = None,
    suite_root: Path | None = None,
    processes: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
) -> OqRun:
    """Run the operational test set (or `selection` of it: paths or node ids under
    tests/) on a scratch database; `suite_root` names another suite folder (the runner's
    own tests use samples). Writes the configuration snapshot into `output`."""
    started = _now()
    engine = instance_engine()
    say = progress or (lambda message: None)

    def refused(problem: str) -> OqRun:
        return OqRun(
            engine=engine,
            scratch="",
            suite_sha256="",
            configuration={},
            started_at=started,
            finished_at=_now(),
            command=(),
            exit_code=-1,
            problem=problem,
        )

    missing = missing_dependencies()
    if missing:
        return refused(
            f"OQ needs {', '.join(missing)}, which this installation lacks: {INSTALL_HINT}"
        )
    problem = _check_selection(selection)
    if problem:
        return refused(problem)
    root = suite_root or suite.locate()
    if root is None:
        return refused(
            "The operational test set is not installed (no openqms/validation/suite): "
            "install OpenQMS from its release wheel."
        )
    try:
        snapshot = config_snapshot.take()
    except DatabaseError as exc:
        return refused(f"The instance's configuration could not be read: {exc}")
    output.mkdir(parents=True, exist_ok=True)
    snapshot_path = config_snapshot.write(snapshot, output / CONFIGURATION_FILE)
    configuration = config_snapshot.summary(snapshot)

    scratch = Path(tempfile.mkdtemp(prefix="openqms-oq-"))
    names: list[str] = []
    jobs: list[tuple[subprocess.Popen[bytes], Any]] = []
    try:
        digest = suite.copy(root, scratch)
        _pytest_ini(scratch)
        base = [sys.executable, "-m", "pytest", "-m", "verifies", "-p", PLUGIN, "-q"]
        base += ["--rootdir", str(scratch), "-c", str(scratch / "pytest.ini")]
        # A file that cannot be imported is reported (the plugin), not a stop for the rest.
        base += ["--continue-on-collection-errors"]
        groups = [list(selection)] if selection else split(scratch / "tests", max(1, processes))
        for index, group in enumerate(groups):
            env = clean_environment(scratch, index)
            env["PYTHONDONTWRITEBYTECODE"] = "1"  # nothing written beside installed files
            env[config_snapshot.ENV] = str(snapshot_path.resolve())
            if engine == "postgresql":
                name = f"{SCRATCH_PREFIX}{secrets.token_hex(6)}"
                names.append(name)
                env["OPENQMS_DATABASE_URL"] = _scratch_url(_instance_database(), name)
                env["OPENQMS_TEST_DATABASE_NAME"] = name
            log = open(scratch / f"pytest-{index}.log", "wb")  # noqa: SIM115 (closed below)
            jobs.append(
                (
                    # A session of its own: a stop reaches what the tests started too
                    # (the backup drill's server), not only pytest.
                    subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                        [*base, *group],
                        cwd=scratch,
                        env=env,
                        stdout=log,
                        stderr=log,
                        start_new_session=True,
                    ),
                    log,
                )
            )
        say(f"OQ: {len(jobs)} pytest process(es) on a scratch {engine} database")
        codes = _wait(jobs, scratch, timeout, say)
        outcomes = _read_outcomes(scratch, len(jobs))
        outcomes += _unreported(scratch, codes, outcomes)
        exit_code = next((c for c in codes if c != 0), 0)
        problem = ""
        uncollected = [
            f"{i + 1} (exit code {code})"
            for i, code in enumerate(codes)
            if not _collected(scratch, i).exists()
        ]
        if not outcomes:
            problem = "pytest ran no test: " + _log_tail(scratch, len(jobs))
        elif any(c < 0 for c in codes):
            problem = f"The run did not finish within {int(timeout)} seconds."
        elif uncollected:  # its share of the tests is missing from the report
            problem = (
                f"pytest process {', '.join(uncollected)} ended before collecting its "
                "tests: " + _log_tail(scratch, len(jobs))
            )
        left = _drop_left_behind(names)
        if left and not problem:
            problem = f"Scratch databases could not be dropped: {', '.join(left)}."
        scratch_text = _describe(engine, names, len(jobs), left)
        command = (*base, *(selection or ["tests"]))
        return OqRun(
            engine=engine,
            scratch=scratch_text,
            suite_sha256=digest,
            configuration=configuration,
            started_at=started,
            finished_at=_now(),
            command=tuple(str(part) for part in command),
            exit_code=exit_code,
            outcomes=outcomes,
            problem=problem,
        )
    except Exception as exc:  # a failed validation is still a record: say why it stopped
        return refused(f"OQ stopped: {type(exc).__name__}: {exc}")
    finally:
        for process, log in jobs:  # after an unexpected error, nothing is left running
            _stop(process)
            log.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a pytest process and everything it started (its own session): TERM first, so
    fixtures can tear down, then KILL."""
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 30)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
            return


def _wait(jobs: list[Any], scratch: Path, timeout: float, say: Progress) -> list[int]:
    deadline = time.monotonic() + timeout
    codes: list[int | None] = [None] * len(jobs)
    reported = -1
    while None in codes:
        for i, (process, log) in enumerate(jobs):
            if codes[i] is None and process.poll() is not None:
                codes[i] = process.returncode
                log.close()
        done = sum(_count_lines(_results(scratch, i)) for i in range(len(jobs)))
        if done != reported:
            reported = done
            say(f"OQ: {done} tests run")
        if time.monotonic() > deadline:
            for i, (process, log) in enumerate(jobs):
                if codes[i] is None:
                    _stop(process)
                    log.close()
                    codes[i] = -9
            break
        if None in codes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                jobs[codes.index(None)][0].wait(timeout=2)
    return [c if c is not None else -9 for c in codes]


def _results(scratch: Path, index: int) -> Path:
    """Where process `index`'s plugin writes one line per test (validation.oq_plugin)."""
    return scratch / f"results-{index}.jsonl"


def _collected(scratch: Path, index: int) -> Path:
    """Where it lists the tests it collected, before the first runs."""
    return Path(f"{_results(scratch, index)}{COLLECTED_SUFFIX}")  # the plugin names it so


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as lines:
            return sum(1 for _ in lines)
    except FileNotFoundError:
        return 0


def _read_outcomes(scratch: Path, count: int) -> tuple[TestOutcome, ...]:
    found = []
    for i in range(count):
        path = _results(scratch, i)
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    found.append(TestOutcome.from_dict(json.loads(line)))
    return tuple(found)


def _unreported(
    scratch: Path, codes: list[int], outcomes: tuple[TestOutcome, ...]
) -> tuple[TestOutcome, ...]:
    """An error for each collected test that no process reported: pytest that ended
    early (a test calling exit, a crash, a kill) must not shrink the report silently."""
    reported = {o.nodeid for o in outcomes}
    missing: list[TestOutcome] = []
    for i, code in enumerate(codes):
        path = _collected(scratch, i)
        if not path.exists():
            continue  # it stopped before collecting: run() names that process
        for test in json.loads(path.read_text(encoding="utf-8")):
            if test["nodeid"] in reported:
                continue
            reported.add(test["nodeid"])
            missing.append(
                TestOutcome(
                    nodeid=test["nodeid"],
                    requirements=tuple(test["requirements"]),
                    refusal=bool(test["refusal"]),
                    outcome=ERROR,
                    message=(
                        "Collected but never reported: its pytest process ended before "
                        f"the test finished (exit code {code})."
                    ),
                )
            )
    return tuple(missing)


def _log_tail(scratch: Path, count: int) -> str:
    lines: list[str] = []
    for i in range(count):
        path = scratch / f"pytest-{i}.log"
        if path.exists():
            lines += path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
    return " / ".join(lines) or "(no output)"


def _drop_left_behind(names: list[str]) -> list[str]:
    """pytest-django drops each scratch database at the end of its run; one a killed
    run left behind is dropped here (only names this run made). Returns those that
    could not be dropped."""
    if not names:
        return []
    from django.db import connection

    # Its own names, and those tests derive from them (the backup drill's source and
    # fresh databases, the fresh-database migrate test's): name_drill_source, ...
    patterns = [name.replace("_", r"\_") + "%" for name in names]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE ANY(%s) ORDER BY datname",
            [patterns],
        )
        left = [row[0] for row in cursor.fetchall()]
    remaining = []
    for name in left:
        try:
            _drop_database(name)
        except Exception:  # named in the run's description instead
            remaining.append(name)
    return remaining


def _drop_database(name: str) -> None:
    import psycopg
    from django.conf import settings

    assert name.startswith(SCRATCH_PREFIX)
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _describe(engine: str, names: list[str], processes: int, left: list[str]) -> str:
    where = "a temporary folder, removed after the run"
    split_note = f" in {processes} pytest processes" if processes > 1 else ""
    if engine == "sqlite":
        return f"SQLite scratch database{split_note} in {where}"
    from django.conf import settings

    db = settings.DATABASES["default"]
    server = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}"
    text = f"PostgreSQL scratch database(s) {', '.join(names)} on {server}{split_note}, "
    text += "dropped after the run" if not left else f"NOT dropped: {', '.join(left)}"
    return text + f"; files in {where}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
