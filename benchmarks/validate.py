#!/usr/bin/env python3
"""Benchmark of the full `openqms validate`: IQ, OQ and the stored report, end to end.

    .venv/bin/python benchmarks/validate.py                      # SQLite and PostgreSQL
    .venv/bin/python benchmarks/validate.py --engine sqlite --baseline

For each engine: a fresh instance (a throwaway data folder; on PostgreSQL a database of
its own, dropped and made again) is migrated, then `openqms validate --output DIR` runs
as an operator runs it (a fresh process) and is timed by the wall clock. The report's
JSON gives the counts (requirements, tests and their results) printed beside the time.
The target (issue 14): within 15 minutes on 2 cores.

`--baseline` also times, in the same run, the bare test set the OQ runs (`pytest -m
verifies` on the same engine, the whole suite's own configuration), so the runner's own
cost (copying the set, the configuration snapshot, the scratch database, the report)
shows against the tests themselves.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_env import environment

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    return time.monotonic() - started, done


def validate(engine: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="openqms-bench-validate-") as scratch:
        environment(engine, str(Path(scratch) / "data"), "openqms_bench_validate")
        subprocess.run([BIN / "openqms", "migrate", "--no-input"], capture_output=True, check=True)
        out = Path(scratch) / "report"
        seconds, done = timed([str(BIN / "openqms"), "validate", "--output", str(out)])
        body = (
            json.loads((out / "validation.json").read_text())
            if (out / "validation.json").exists()
            else {}
        )
        return {
            "engine": engine,
            "seconds": seconds,
            "exit": done.returncode,
            "counts": body.get("counts", {}),
            "tail": done.stdout.strip().splitlines()[-6:] + done.stderr.strip().splitlines()[-3:],
        }


def baseline(engine: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENQMS_")}
    with tempfile.TemporaryDirectory(prefix="openqms-bench-baseline-") as scratch:
        env["OPENQMS_DATA_DIR"] = scratch
        if engine == "postgres":
            env["OPENQMS_DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/openqms_bench_base"
        seconds, _ = timed(
            [sys.executable, "-m", "pytest", "-q", "-m", "verifies", "-p", "no:randomly", "tests"],
            cwd=ROOT,
            env=env,
        )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    print(f"cores: {os.cpu_count()}; load before: {os.getloadavg()[0]:.2f}")
    for engine in engines:
        result = validate(engine)
        minutes = result["seconds"] / 60
        print(
            f"{engine}: openqms validate {result['seconds']:.0f} s ({minutes:.1f} min), "
            f"exit {result['exit']}"
        )
        print(f"  counts: {json.dumps(result['counts'])}")
        for line in result["tail"]:
            print(f"  | {line}")
        if args.baseline:
            print(f"  baseline pytest -m verifies: {baseline(engine):.0f} s")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
