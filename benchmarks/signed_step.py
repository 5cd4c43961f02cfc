#!/usr/bin/env python3
"""Benchmark of the signed path: a revision submitted, reviewed and approved, measured on
this tree and on a baseline revision of OpenQMS in the same run.

    .venv/bin/python benchmarks/signed_step.py                       # SQLite and PostgreSQL
    .venv/bin/python benchmarks/signed_step.py --engine sqlite --rounds 6 --documents 40
    .venv/bin/python benchmarks/signed_step.py --hasher argon2 --documents 10

Issue 8 moved every signature onto one path (core.signing) that locks the signer's
account row and checks everything again under the lock; its target is "no more than 10%
slower" than before. The baseline (`--baseline`, default 03a285f, the code before issue
8) is checked out in a temporary git worktree. Each round runs both trees, one after the
other in alternating order, each in a fresh process and a fresh database, so both meet
the same machine load. By default passwords use the test suite's cheap Argon2 (same
algorithm, low work factor), so what is compared is the path's own cost; `--hasher
argon2` uses the production cost, which is what a person signing waits for.

Per step (submit, review, approve) it prints the median time over every document and
round, and the number of SQL queries the step ran.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/openqms_signbench"
STEPS = ("submit", "review", "approve")


def worker(documents: int, hasher: str) -> None:
    """Runs inside one tree's process: set up, then time each step of every document."""
    import time

    import django

    django.setup()
    if hasher == "argon2":  # the production hasher and cost, not the suite's cheap one
        from django.conf import settings
        from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from openqms.core.signatures import Credentials, content_hash
    from openqms.documents import actions
    from openqms.documents.models import DocumentType
    from openqms.testing import PASSWORD, make_cast

    cast = make_cast()
    sop = DocumentType.objects.get(prefix="SOP")
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    queries: dict[str, int] = {}
    for n in range(documents):
        revision = actions.create_document(
            actor=cast.author, doc_type=sop, title=f"Procedure {n}", body=f"Step {n}.\n" * 40
        )
        for step, signer in (
            ("submit", None),
            ("review", cast.reviewer),
            ("approve", cast.approver),
        ):
            actor = signer or cast.author
            credentials = None
            if signer is not None:
                credentials = Credentials(PASSWORD, "", content_hash(revision.signature_content()))
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                revision = actions.take_step(
                    actor=actor, revision=revision, step=step, credentials=credentials
                )
                times[step].append(time.perf_counter() - started)
            queries[step] = len(captured)
        assert revision.state == "effective", revision.state
    print(json.dumps({"times": times, "queries": queries}))


def run_tree(src: Path, engine: str, documents: int, hasher: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "openqms.settings_test",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("OPENQMS_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="openqms-signbench-") as data:
        env["OPENQMS_DATA_DIR"] = data
        if engine == "postgresql":
            fresh_postgres()
            env["OPENQMS_DATABASE_URL"] = PG_URL
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                "--documents",
                str(documents),
                "--hasher",
                hasher,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if out.returncode != 0:
        sys.exit(f"the run on {src} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS openqms_signbench")
        conn.execute("CREATE DATABASE openqms_signbench ENCODING 'UTF8' TEMPLATE template0")


def baseline_tree(rev: str, into: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(into), rev], check=True
    )
    return into


def report(engine: str, results: dict[str, list[dict]]) -> None:
    print(f"\n{engine}: median seconds per step (queries per step)")
    print(f"{'step':<10}{'baseline':>20}{'this tree':>20}{'change':>10}")
    total = {name: 0.0 for name in results}
    for step in STEPS:
        cells, medians = [], {}
        for name, runs in results.items():
            samples = [t for run in runs for t in run["times"][step]]
            medians[name] = statistics.median(samples)
            total[name] += medians[name]
            cells.append(f"{medians[name] * 1000:9.2f} ms ({runs[0]['queries'][step]:>2} q)")
        change = medians["this tree"] / medians["baseline"] - 1
        print(f"{step:<10}{cells[0]:>20}{cells[1]:>20}{change:>+10.1%}")
    change = total["this tree"] / total["baseline"] - 1
    print(
        f"{'all three':<10}{total['baseline'] * 1000:>17.2f} ms"
        f"{total['this tree'] * 1000:>17.2f} ms{change:>+13.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--baseline", default="03a285f", help="git revision to compare with")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument(
        "--hasher",
        choices=["fast", "argon2"],
        default="fast",
        help="fast: the suite's cheap Argon2 (the path's own cost); argon2: production cost",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.documents, args.hasher)
        return
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    with tempfile.TemporaryDirectory(prefix="openqms-baseline-") as tmp:
        base = baseline_tree(args.baseline, Path(tmp) / "tree")
        try:
            trees = {"baseline": base / "src", "this tree": ROOT / "src"}
            for engine in engines:
                results: dict[str, list[dict]] = {name: [] for name in trees}
                for round_ in range(args.rounds):
                    order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                    for name in order:
                        run = run_tree(trees[name], engine, args.documents, args.hasher)
                        results[name].append(run)
                report(engine, results)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False
            )
    print(
        f"\n{args.rounds} rounds x {args.documents} documents per tree and engine; "
        f"baseline {args.baseline}; {args.hasher} password hashing."
    )


if __name__ == "__main__":
    main()
