"""The open-source baselines (StrictDoc, sphinx-needs, Doorstop), each run in a
virtual environment of their own outside the repository, timed as a child process.

The environment is made on first use with exactly:

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install "strictdoc>=0.30,<0.31" sphinx-needs doorstop

and the versions found are printed with the results. Each run is wall time plus the
child's peak resident memory (getrusage(RUSAGE_CHILDREN) in a small wrapper process of
its own, so no earlier child counts), killed and reported "did not finish" after the
timeout."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGES = ["strictdoc>=0.30,<0.31", "sphinx-needs", "doorstop"]
DISTRIBUTIONS = ["strictdoc", "sphinx-needs", "Sphinx", "doorstop"]
TOOLS = ("strictdoc", "sphinx-needs", "doorstop")

# Runs argv[2:] and writes its exit code, peak RSS (KiB on Linux) and CPU seconds (user
# + system, which the other load on a shared machine changes less than wall time).
WRAPPER = """
import json, resource, subprocess, sys
with open(sys.argv[1] + '.err', 'w') as err:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode
use = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], 'w').write(json.dumps(
    {'rc': rc, 'peak_kb': use.ru_maxrss, 'cpu': use.ru_utime + use.ru_stime}))
"""


def ensure_venv(venv: Path) -> dict[str, str]:
    """Make the environment when it is missing; return {distribution: version}."""
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"Making the baselines' environment in {venv} (once)…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    code = (
        "import importlib.metadata as m, json, sys;"
        "print(json.dumps({d: m.version(d) for d in sys.argv[1:]}))"
    )
    out = subprocess.run(
        [str(python), "-c", code, *DISTRIBUTIONS], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def measure(argv: list[str], *, cwd: Path, timeout: float, env: dict | None = None) -> dict:
    """Wall seconds and peak MB of one command; status "ok", "failed" or "did not finish"."""
    with tempfile.TemporaryDirectory(prefix="tracebench-") as scratch:
        report = Path(scratch) / "rusage.json"
        # A fresh TMPDIR: no tool finds a cache of an earlier run (StrictDoc keeps one).
        child_env = os.environ | {"TMPDIR": scratch} | (env or {})
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(report), *argv],
            cwd=cwd,
            env=child_env,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"status": "did not finish", "seconds": timeout, "peak_mb": None}
        seconds = time.perf_counter() - start
        found = json.loads(report.read_text())
        errors = Path(f"{report}.err").read_text(errors="replace").strip().splitlines()
    result = {
        "status": "ok" if found["rc"] == 0 else "failed",
        "seconds": seconds,
        "peak_mb": found["peak_kb"] / 1024,
        "cpu_seconds": found["cpu"],
    }
    if found["rc"] != 0:
        result["error"] = " | ".join(errors[-3:])[:300]
    return result


def commands(tool: str, venv: Path, tree: Path, out: Path) -> tuple[list[str], Path]:
    """(argv, working folder) of one tool on the trees under `tree`, writing to `out`."""
    bin_ = venv / "bin"
    if tool == "strictdoc":
        argv = [str(bin_ / "strictdoc"), "export", "--formats", "json", str(tree / "sdoc")]
        return [*argv, "--output-dir", str(out)], tree
    if tool == "sphinx-needs":
        argv = [str(bin_ / "sphinx-build"), "-q", "-b", "needs", str(tree / "sphinx"), str(out)]
        return argv, tree
    if tool == "doorstop":
        return [str(bin_ / "doorstop")], tree / "doorstop"
    raise ValueError(tool)


UID_IN_JSON = re.compile(rb'"(?:UID|id)": "((?:REQ-SYS|REQ-SW|TEST)-\d+)"')


def items_out(tool: str, out: Path) -> int | None:
    """How many of the tree's items the tool's output holds: the proof that it read
    every file (StrictDoc's JSON, sphinx-needs' needs.json); None for Doorstop, whose
    validation writes nothing (its exit code says the tree is valid)."""
    found = {"strictdoc": out / "json" / "index.json", "sphinx-needs": out / "needs.json"}
    path = found.get(tool)
    if path is None or not path.exists():
        return None
    return len(set(UID_IN_JSON.findall(path.read_bytes())))


def run_tool(tool: str, venv: Path, tree: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"tracebench-{tool}-") as out:
        argv, cwd = commands(tool, venv, tree, Path(out))
        result = measure(argv, cwd=cwd, timeout=timeout)
        if result["status"] == "ok":
            result["items_out"] = items_out(tool, Path(out))
    result["command"] = " ".join(argv)
    return result
