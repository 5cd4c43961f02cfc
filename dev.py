#!/usr/bin/env python3
"""Set up and run OpenQMS from a fresh clone, with nothing but Python 3.11+.

    python3 dev.py demo     make a virtual environment, install, run the demo
    python3 dev.py lint     the same, then ruff check and ruff format --check on src and tests,
                            and mypy (with django-stubs) on src
    python3 dev.py test     the same, then the whole test suite on SQLite and PostgreSQL
                            side by side (OPENQMS_TEST_SERIAL=1: one after the other),
                            then the wheel smoke run (.ci/wheel_smoke.py: the built wheel
                            in a fresh environment, every page through `openqms serve`)

The virtual environment lives in .venv and is reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"OpenQMS needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    say("installing OpenQMS and its dependencies (first run only)")
    target = f".[{extras}]" if extras else "."
    run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PYTHON, "-m", "pip", "install", "--quiet", "--editable", target])
    stamp.write_text(wanted)


def run(cmd: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False, **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def demo(args: list[str]) -> None:
    ensure_venv("")
    os.execv(str(BIN / "openqms"), [str(BIN / "openqms"), "demo", *args])


def postgres_url() -> str | None:
    """The PostgreSQL to test against, or None (with a message) where there is none."""
    url = os.environ.get("OPENQMS_TEST_DATABASE_URL", DEFAULT_PG)
    if url.lower() in {"", "none", "off"}:
        return None
    probe = (
        "import sys, psycopg\n"
        "try:\n    psycopg.connect(sys.argv[1], connect_timeout=5).close()\n"
        "except Exception as exc:\n    print(exc); sys.exit(1)\n"
    )
    result = subprocess.run([str(PYTHON), "-c", probe, url], capture_output=True, text=True)
    if result.returncode == 0:
        return url
    say(f"PostgreSQL at {url} is not reachable: {result.stdout.strip()}")
    return None


def pytest_start(label: str, env: dict, args: list[str], work: Path, log: Path | None):
    """Start pytest on one engine; its output goes to the terminal, or to `log`."""
    say(f"test suite on {label}" + (f" (its output follows when it ends: {log})" if log else ""))
    report = work / f"report-{label}.xml"
    # Each run keeps its own temporary folder: two runs side by side never share one.
    basetemp = work / f"pytest-{label}"
    cmd = [str(PYTHON), "-m", "pytest", f"--junitxml={report}", f"--basetemp={basetemp}", *args]
    out = log.open("w") if log else None
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None
    ), out


def pytest_wait(label: str, started, log: Path | None) -> int:
    process, out = started
    code = process.wait()
    if out:
        out.close()
        say(f"output of the run on {label}:")
        sys.stdout.write(log.read_text(errors="replace"))
        sys.stdout.flush()
    if code == 5:
        say(f"no tests were collected on {label}: that is a failure")
        return 1
    if code != 0:
        say(f"the run on {label} failed (pytest exit code {code})")
    return code


def totals(reports: list[Path]) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for report in reports:
        if not report.exists():
            continue
        for suite in ET.parse(report).getroot().iter("testsuite"):
            tests, skips = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            passed += tests - skips - bad
            failed += bad
            skipped += skips
    return passed, failed, skipped


def wheel_smoke(args: list[str]) -> int | None:
    """Run .ci/wheel_smoke.py with the whole suite (or OPENQMS_WHEEL_SMOKE=1); None: skipped."""
    wanted = os.environ.get("OPENQMS_WHEEL_SMOKE", "").strip().lower()
    if wanted in {"0", "false", "no", "off"} or (args and wanted not in {"1", "true", "yes"}):
        print("wheel smoke: skipped (tests were selected; OPENQMS_WHEEL_SMOKE=1 runs it)")
        return None
    say("wheel smoke: the built wheel in a fresh environment, through openqms serve")
    script = ROOT / ".ci" / "wheel_smoke.py"
    return subprocess.run([str(PYTHON), str(script)], cwd=ROOT, check=False).returncode


def test(args: list[str]) -> None:
    ensure_venv("test")
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    work = Path(tempfile.mkdtemp(prefix="openqms-test-"))
    base_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    base_env.pop("OPENQMS_DATABASE_URL", None)
    base_env.pop("DJANGO_SETTINGS_MODULE", None)
    if in_ci:
        base_env["OPENQMS_REQUIRE_BROWSER"] = "1"
    runs = [("SQLite", {"OPENQMS_DATA_DIR": str(work / "sqlite")})]
    pg = postgres_url()
    if pg:
        runs.append(
            ("PostgreSQL", {"OPENQMS_DATA_DIR": str(work / "pg"), "OPENQMS_DATABASE_URL": pg})
        )
    elif in_ci:
        sys.exit("[dev] CI must run the suite on PostgreSQL too, and none is reachable.")
    else:
        say("skipping the PostgreSQL run (set OPENQMS_TEST_DATABASE_URL to point at one)")
    # The engines run side by side (one core each on a 2-core CI machine), unless
    # OPENQMS_TEST_SERIAL=1; the first streams to the terminal, the others to a log
    # printed when they end.
    serial = os.environ.get("OPENQMS_TEST_SERIAL", "").lower() in {"1", "true", "yes"}
    codes, reports, started = [], [], []
    for index, (label, extra) in enumerate(runs):
        reports.append(work / f"report-{label}.xml")
        log = work / f"output-{label}.log" if index and not serial else None
        started.append((label, pytest_start(label, {**base_env, **extra}, args, work, log), log))
        if serial:
            codes.append(pytest_wait(*started.pop()))
    for label, handle, log in started:
        codes.append(pytest_wait(label, handle, log))
    smoke = wheel_smoke(args)
    if smoke is not None:
        codes.append(smoke)
    passed, failed, skipped = totals(reports)
    ran = " and ".join(label for label, _ in runs)
    say(f"ran on {ran}")
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    sys.exit(next((c for c in codes if c != 0), 0))


def lint(args: list[str]) -> None:
    ensure_venv("test")
    for check in (["check"], ["format", "--check"]):
        say(f"ruff {' '.join(check)} src tests")
        run([BIN / "ruff", *check, "src", "tests", *args])
    say("mypy src (django-stubs; configured in pyproject.toml)")
    # Settings are imported to type the models; keep their data directory out of the tree.
    with tempfile.TemporaryDirectory(prefix="openqms-mypy-") as data:
        run([BIN / "mypy"], env={**os.environ, "OPENQMS_DATA_DIR": data})


def main() -> None:
    commands = {"demo": demo, "lint": lint, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
