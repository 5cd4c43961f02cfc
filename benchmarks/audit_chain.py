#!/usr/bin/env python3
"""Benchmark of the hash-chained audit trail, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/audit_chain.py                      # both engines
    .venv/bin/python benchmarks/audit_chain.py --engine sqlite --sizes 100000

For each engine, in a fresh database:

1. append: `--append` events through the real path, one durable transaction each
   (`audit.record`, exactly what every action does), on the empty chain; then `--actions`
   real `actions.update_user` calls; and, at the end, `--append` events again at the top of
   the largest chain (does append slow down as the chain grows?);
2. build the chain up to each of `--sizes` events with rows generated here, hashed with the
   app's own `audit.event_text` / `format_time` / `canonical_json`, inserted in batches of
   `--batch` (executemany on SQLite, COPY on PostgreSQL, then ANALYZE as autovacuum would);
3. at each size, in a fresh process (as `openqms audit verify` runs):
   - `verify`: `chain.verify_chain()` (what `openqms audit verify` runs), events/s (best
     of `--repeat`), the growth of the process's peak RSS during the first run, and
     tracemalloc's peak of Python allocations;
   - `read`: every stored column in keyset batches with no hashing, the cost of fetching;
   - `read+encode`: fetch and build each event's canonical bytes, no SHA-256;
   - `baseline`: raw `hashlib.sha256` chaining over the same canonical bytes, already in
     memory (fetched and encoded untimed, in chunks): per event one digest, one comparison
     with the stored hash and one with the stored link. Nothing comes from the database.

Targets (issue): verify >= 200,000 events/s, verify time <= 4x the baseline's, memory flat
as the chain grows. Each engine runs in a subprocess of this script (Django settings load
once per process); the parent prints the combined tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/openqms_bench"
VERIFY_TARGET = 200_000  # events/s
RATIO_TARGET = 4.0  # verify time / baseline time
FLAT_TOLERANCE = 1.25  # memory at the largest size / memory at the smallest


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


# -- environment (before Django is imported) -------------------------------------------


def prepare_environment(engine: str, data_dir: str, pg_url: str) -> None:
    os.environ["OPENQMS_DATA_DIR"] = data_dir
    os.environ["OPENQMS_SECRET_KEY"] = "benchmark-only-throwaway-key-" + "0" * 32
    os.environ["DJANGO_SETTINGS_MODULE"] = "openqms.settings"
    os.environ.setdefault("OPENQMS_LOG_LEVEL", "WARNING")
    if engine == "postgres":
        os.environ["OPENQMS_DATABASE_URL"] = pg_url
    else:
        os.environ.pop("OPENQMS_DATABASE_URL", None)
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def _admin_url(pg_url: str) -> tuple[str, str]:
    parsed = urlparse(pg_url)
    name = parsed.path.lstrip("/")
    if not name:
        raise SystemExit(f"--pg-url names no database: {pg_url}")
    return urlunparse(parsed._replace(path="/postgres")), name


def create_pg_database(pg_url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(pg_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_pg_database(pg_url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(pg_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django() -> None:
    import django

    django.setup()


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


# -- realistic data ---------------------------------------------------------------------

FIRST = [
    "Margaret", "Olusegun", "Ingrid", "Rajesh", "Siobhán", "Kenji", "Aleksandra", "Thomas",
    "Fatima", "Guillermo", "Hannah", "Pieter", "Chiara", "Dmitri", "Aoife", "Mohammed",
]  # fmt: skip
LAST = [
    "Okonkwo-Smith", "van der Berg", "Lindqvist", "Raghunathan", "Ní Bhriain", "Takahashi",
    "Wiśniewska", "Fairbrother", "Al-Rashid", "Domínguez", "Schäfer", "O'Callaghan",
]  # fmt: skip
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "python-httpx/0.27.2",
    "",  # command line, system jobs
]
REASONS = [
    "",
    "Periodic review: no change to content, reference updated.",
    "Correction of a typing error reported by the line supervisor.",
    "CAPA-2024-031: procedure revised after the internal audit finding.",
    "Change request CR-0457 approved by the change control board.",
    "New starter; role agreed with the department manager.",
    "Leaver: access removed on the last working day.",
    "Supplier re-qualified after the on-site audit in March.",
    "Training matrix updated for the new revision of the work instruction.",
]
ACTIONS = [  # (code, object type, weight)
    ("core.auth.signed_in", "core.user", 30),
    ("core.auth.signed_out", "core.user", 20),
    ("core.workflow.transition", "docs.document", 20),
    ("core.signature.signed", "docs.document", 10),
    ("core.user.updated", "core.user", 5),
    ("core.role.granted", "core.user", 3),
    ("core.auth.sign_in_failed", "core.user", 5),
    ("core.workflow.transition", "capa.capa", 7),
]
STATES = ["draft", "in_review", "approved", "effective", "superseded", "obsolete"]


def make_changes(rng: random.Random, code: str, name: str) -> dict:
    if code == "core.workflow.transition":
        i = rng.randrange(len(STATES) - 1)
        return {
            "state": [STATES[i], STATES[i + 1]],
            "version": f"{rng.randrange(1, 9)}.{rng.randrange(0, 20)}",
            "title": "Control of nonconforming product and material review board",
        }
    if code == "core.signature.signed":
        return {
            "meaning": rng.choice(["reviewed", "approved", "released"]),
            "object_version": f"{rng.randrange(1, 9)}.{rng.randrange(0, 20)}",
            "content_hash": f"{rng.getrandbits(256):064x}",
        }
    if code == "core.user.updated":
        return {"full_name": [name, name + " (QA)"], "email": [None, "q.a@example.com"]}
    if code == "core.role.granted":
        return {"role": rng.choice(["author", "reviewer", "approver", "qa_lead"])}
    if code == "core.auth.sign_in_failed":
        return {"username": "m.okonkwo", "attempt": rng.randrange(1, 5)}
    return {}


class Generator:
    """Deterministic, realistic event fields; pools so that generation stays cheap."""

    def __init__(self, users: list[tuple[int, str]], seed: int = 11) -> None:
        from openqms.core.audit import canonical_json

        self.rng = rng = random.Random(seed)
        self.users = users
        codes = [(c, t) for c, t, w in ACTIONS for _ in range(w)]
        self.templates = []
        for _ in range(4096):
            code, otype = rng.choice(codes)
            _, name = rng.choice(users)
            oid = (
                f"SOP-QA-{rng.randrange(1, 400):04d}"
                if otype == "docs.document"
                else str(rng.randrange(1, 5000))
            )
            changes = canonical_json(make_changes(rng, code, name))
            self.templates.append((code, otype, oid, changes, rng.choice(REASONS)))
        self.ips = [f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"]
        self.ips += [f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(60)]
        self.ips += ["2001:db8:85a3::8a2e:370:7334", ""]

    def fields(self) -> tuple:
        rng = self.rng
        actor_id, actor_name = rng.choice(self.users)
        code, otype, oid, changes, reason = rng.choice(self.templates)
        return actor_id, actor_name, code, otype, oid, changes, reason


def make_users(count: int = 24) -> list:
    from openqms.core.models import User

    rng = random.Random(7)
    users = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        user = User(username=f"bench.{i:02d}", full_name=f"{first} {last}", email="")
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__startswith="bench.").order_by("pk"))


# -- append through the real path -------------------------------------------------------


def append_real(count: int, actor, subject) -> float:
    """`count` events, each in its own durable transaction, the way actions write them."""
    from django.db import transaction

    from openqms.core import audit

    token = audit.set_origin(audit.Origin(ip="192.168.14.27", user_agent=USER_AGENTS[0]))
    try:
        start = time.perf_counter()
        for i in range(count):
            with transaction.atomic(durable=True):
                audit.record(
                    actor=actor,
                    action="core.user.updated",
                    object_type="core.user",
                    object_id=subject.pk,
                    changes={"full_name": [subject.full_name, f"{subject.full_name} {i}"]},
                    reason=REASONS[1 + i % (len(REASONS) - 1)],
                )
        return time.perf_counter() - start
    finally:
        audit.reset_origin(token)


def update_user_actions(count: int, actor, subject) -> float:
    from openqms.core import actions

    base = subject.full_name
    start = time.perf_counter()
    for i in range(count):
        subject = actions.update_user(
            actor=actor,
            user=subject,
            full_name=f"{base} {i}",
            email=f"user{i}@example.com",
            reason="Name corrected on request (benchmark)",
        )
    return time.perf_counter() - start


# -- building a long chain quickly ------------------------------------------------------


def build_to(target: int, gen: Generator, batch: int, analyze: bool) -> tuple[int, float]:
    """Append generated events until the chain holds `target`; returns (added, seconds)."""
    import hashlib

    from django.db import connection, transaction

    from openqms.core.audit import HASHED_FIELDS, event_text, format_time
    from openqms.core.models import AuditEvent

    columns = (*HASHED_FIELDS, "hash")

    seq, prev, at = AuditEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    if seq >= target:
        return 0, 0.0
    table = AuditEvent._meta.db_table
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    adapt = connection.ops.adapt_datetimefield_value
    rng, sha256, step = gen.rng, hashlib.sha256, dt.timedelta
    added, start = target - seq, time.perf_counter()
    while seq < target:
        rows = []
        for _ in range(min(batch, target - seq)):
            seq += 1
            at += step(microseconds=rng.randrange(1, 100_000))
            actor_id, name, code, otype, oid, changes, reason = gen.fields()
            if code.startswith("core.auth.") or not rng.randrange(4):
                ip, ua = rng.choice(gen.ips), rng.choice(USER_AGENTS)
            else:
                ip, ua = "", ""
            fields = (actor_id, name, code, otype, oid, changes, reason, ip, ua, prev)
            digest = sha256(event_text(seq, format_time(at), *fields).encode()).hexdigest()
            rows.append((seq, adapt(at), *fields, digest))
            prev = digest
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: several times faster than INSERT
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)
    if analyze and connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics the planner
        # may sort the whole table for each keyset batch of iter_rows (see the docs).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return added, time.perf_counter() - start


# -- measuring verify (in a fresh process) ----------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak_rss() -> None:
    """Reset VmHWM (the peak RSS) to the current RSS; Linux >= 4.0.

    ru_maxrss is of no use here: Linux carries it over from the parent across fork+exec.
    """
    Path("/proc/self/clear_refs").write_text("5")


def _timed(fn, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of each run; this process's CPU seconds appended to `cpu`."""
    times = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return times


def stored_rows(batch: int = 5000):
    """Every stored event's columns in seq order, keyset batches (what verify reads)."""
    from django.db import connection

    from openqms.core.audit import HASHED_FIELDS

    columns = ", ".join((*HASHED_FIELDS, "hash"))
    sql = f"SELECT {columns} FROM core_auditevent WHERE seq > %s ORDER BY seq LIMIT %s"
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def as_text(value) -> str:
    """A stored `at` as the canonical text (SQLite gives text or a naive UTC datetime)."""
    from openqms.core.audit import format_time

    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_time(value)


def measure(size: int, repeat: int) -> dict:
    import hashlib

    from django.db import connection

    from openqms.core import audit, chain
    from openqms.core.audit import event_text

    with connection.cursor() as cursor:  # open the connection before the first reading
        cursor.execute("SELECT 1")

    def verify(workers: int = 1) -> None:
        report = chain.verify_chain(workers=workers)
        if not report.ok or report.checked != size:
            raise SystemExit(f"verify failed at {size}: {report.summary()}")

    def verify_parallel() -> None:
        # Exactly what `openqms audit verify` does: one process per CPU from 200,000
        # events on (below that, starting the processes costs more than they save).
        verify(workers=os.cpu_count() or 1)

    # First run: how far the process's peak RSS rises above its RSS just before verify.
    _reset_peak_rss()
    rss_before, verify_cpu = _status_kib("VmRSS"), []
    verify_times = _timed(verify, 1, verify_cpu)
    rss_growth = _status_kib("VmHWM") - rss_before
    verify_times += _timed(verify, repeat - 1, verify_cpu)

    parallel_times = _timed(verify_parallel, repeat)

    tracemalloc.start()
    verify()
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def read() -> None:
        n = 0
        for _row in stored_rows():
            n += 1
        assert n == size

    def read_encode() -> None:
        for s, at, aid, name, act, ot, oid, ch, rsn, ip, ua, prev, _h in stored_rows():
            event_text(s, as_text(at), aid, name, act, ot, oid, ch, rsn, ip, ua, prev).encode()

    read_times = _timed(read, repeat)
    encode_times = _timed(read_encode, repeat)

    # Baseline: the same canonical bytes, encoded untimed in chunks, then only the chain.
    sha256 = hashlib.sha256

    def hash_chain(items: list, prev: str) -> str:
        for data, link, stored in items:
            if link != prev:
                raise SystemExit("baseline: broken link")
            digest = sha256(data).hexdigest()
            if digest != stored:
                raise SystemExit("baseline: hash mismatch")
            prev = digest
        return prev

    baseline_runs = [0.0] * repeat
    chunk, prev, count = [], audit.GENESIS_HASH, 0
    rows = stored_rows()
    while True:
        chunk.clear()
        for s, at, aid, name, act, ot, oid, ch, rsn, ip, ua, link, h in rows:
            text = event_text(s, as_text(at), aid, name, act, ot, oid, ch, rsn, ip, ua, link)
            data = text.encode()
            chunk.append((data, link, h))
            if len(chunk) == 100_000:
                break
        if not chunk:
            break
        for i in range(repeat):
            start = time.perf_counter()
            last = hash_chain(chunk, prev)
            baseline_runs[i] += time.perf_counter() - start
        prev, count = last, count + len(chunk)
    assert count == size
    chunk.clear()

    best = min
    return {
        "size": size,
        "verify_s": verify_times,
        "verify_eps": rate(size, best(verify_times)),
        "verify_eps_median": rate(size, statistics.median(verify_times)),
        "verify_cpu_eps": rate(size, min(verify_cpu)),
        "read_eps": rate(size, best(read_times)),
        "encode_eps": rate(size, best(encode_times)),
        "baseline_eps": rate(size, best(baseline_runs)),
        "ratio": best(verify_times) / best(baseline_runs),
        "parallel_eps": rate(size, best(parallel_times)),
        "parallel_ratio": best(parallel_times) / best(baseline_runs),
        "workers": os.cpu_count() or 1,
        "py_peak_mib": py_peak / 2**20,
        "rss_growth_mib": rss_growth / 1024,
    }


# -- one engine (a subprocess of the parent) --------------------------------------------


def run_engine(args) -> dict:
    engine = args.engine
    data_dir = tempfile.mkdtemp(prefix=f"openqms-bench-{engine}-")
    if engine == "postgres":
        create_pg_database(args.pg_url)
    prepare_environment(engine, data_dir, args.pg_url)
    try:
        setup_django()
        return _run_engine(args, data_dir)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if engine == "postgres":
                drop_pg_database(args.pg_url)
        else:
            log(f"kept {data_dir}" + (f" and {args.pg_url}" if engine == "postgres" else ""))


def _run_engine(args, data_dir: str) -> dict:
    from django.core.management import call_command

    from openqms.core import actions
    from openqms.core.models import AuditEvent, Role

    engine, sizes = args.engine, args.sizes
    result: dict = {"engine": engine, "database": database_version(), "append": [], "sizes": []}
    log(f"{engine}: {result['database']}, data in {data_dir}")
    call_command("migrate", verbosity=0, interactive=False)

    admin = actions.create_user(
        actor=None,
        username="bench.admin",
        full_name="Benchmark Administrator",
        password="a-long-benchmark-passphrase-9",
        roles=[Role.objects.get(code="administrator")],
        reason="Benchmark set-up",
    )
    users = make_users()
    subject = users[0]

    def appended(path: str, count: int, seconds: float) -> None:
        length = AuditEvent.objects.count()
        result["append"].append(
            {"path": path, "count": count, "chain_after": length, "eps": rate(count, seconds)}
        )
        log(f"{engine}: {path}: {count:,} in {seconds:.1f}s = {rate(count, seconds):,.0f}/s")

    appended("audit.record", args.append, append_real(args.append, admin, subject))
    if args.actions:
        appended(
            "actions.update_user", args.actions, update_user_actions(args.actions, admin, subject)
        )

    gen = Generator([(u.pk, u.full_name) for u in [admin, *users]])
    for n, size in enumerate(sizes):
        last = n == len(sizes) - 1
        target = size - args.append if last and args.append else size
        added, seconds = build_to(target, gen, args.batch, not args.no_analyze)
        if added:
            eps = rate(added, seconds)
            log(f"{engine}: built {added:,} events in {seconds:.1f}s ({eps:,.0f}/s)")
            result.setdefault("build", []).append({"count": added, "eps": eps})
        if target != size:
            appended("audit.record", args.append, append_real(args.append, admin, subject))
        count = AuditEvent.objects.count()
        if count != size:
            raise SystemExit(f"{engine}: chain holds {count:,} events, expected {size:,}")
        log(f"{engine}: measuring at {size:,} events (fresh process) …")
        result["sizes"].append(child(args, "measure", size=size))
        m = result["sizes"][-1]
        log(
            f"{engine}: {size:,}: verify {m['verify_eps']:,.0f}/s "
            f"({m['verify_cpu_eps']:,.0f}/CPU-s), read {m['read_eps']:,.0f}/s, "
            f"read+encode {m['encode_eps']:,.0f}/s, "
            f"(runs {', '.join(f'{t:.2f}s' for t in m['verify_s'])}), "
            f"baseline {m['baseline_eps']:,.0f}/s, ratio {m['ratio']:.2f}x, "
            f"py peak {m['py_peak_mib']:.2f} MiB, RSS +{m['rss_growth_mib']:.1f} MiB"
        )
    return result


def child(args, role: str, size: int = 0) -> dict:
    """Run this script again with `--role`; it writes its result as JSON to a file."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    cmd = [
        sys.executable, __file__, "--role", role, "--out", path, "--engine", args.engine,
        "--sizes", ",".join(map(str, args.sizes)), "--append", str(args.append),
        "--actions", str(args.actions), "--repeat", str(args.repeat),
        "--batch", str(args.batch), "--pg-url", args.pg_url, "--measure-size", str(size),
    ]  # fmt: skip
    cmd += ["--keep"] if args.keep else []
    cmd += ["--no-analyze"] if args.no_analyze else []
    try:
        subprocess.run(cmd, check=True)
        return json.loads(Path(path).read_text())
    finally:
        Path(path).unlink(missing_ok=True)


# -- the parent: run each engine, print the tables --------------------------------------


def machine() -> dict:
    import django

    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "django": django.__version__,
        "platform": platform.platform(),
    }


def print_tables(info: dict, results: list[dict]) -> bool:
    print()
    print(
        f"Audit chain benchmark, {info['date']}: {info['cpus']} CPUs, {info['ram_gib']} GiB, "
        f"Python {info['python']}, Django {info['django']}"
    )
    for r in results:
        print(f"  {r['engine']}: {r['database']}")
    print()
    print("Append through the real path (one durable transaction per event)")
    head = f"| {'engine':8} | {'path':22} | {'events':>7} | {'chain after':>11} | {'events/s':>8} |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for r in results:
        for a in r["append"]:
            print(
                f"| {r['engine']:8} | {a['path']:22} | {a['count']:>7,} | "
                f"{a['chain_after']:>11,} | {a['eps']:>8,.0f} |"
            )
    print()
    print(
        "Verify (best of runs): `cli` as `openqms audit verify` runs it (one process per CPU "
        "from 200,000 events on), `verify` always in one process; verify/CPU-s counts only "
        "the main process's CPU time; references and memory; events/s unless stated"
    )
    head = (
        f"| {'engine':8} | {'events':>9} | {'cli':>8} | {'cli/baseline':>12} "
        f"| {'verify':>8} | {'verify/CPU-s':>12} | {'read':>9} "
        f"| {'read+encode':>11} "
        f"| {'sha256 baseline':>15} | {'verify/baseline':>15} | {'py peak MiB':>11} "
        f"| {'RSS +MiB':>8} |"
    )
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    all_ok = True
    for r in results:
        for m in r["sizes"]:
            print(
                f"| {r['engine']:8} | {m['size']:>9,} | {m['parallel_eps']:>8,.0f} "
                f"| {m['parallel_ratio']:>11.2f}x | {m['verify_eps']:>8,.0f} "
                f"| {m['verify_cpu_eps']:>12,.0f} | {m['read_eps']:>9,.0f} "
                f"| {m['encode_eps']:>11,.0f} "
                f"| {m['baseline_eps']:>15,.0f} | {m['ratio']:>14.2f}x "
                f"| {m['py_peak_mib']:>11.2f} | {m['rss_growth_mib']:>8.1f} |"
            )
    print()
    for r in results:
        builds = r.get("build", [])
        total = sum(b["count"] for b in builds)
        seconds = sum(b["count"] / b["eps"] for b in builds)
        print(
            f"Chain built from generated rows ({r['engine']}): {total:,} events in "
            f"{seconds:.0f}s ({rate(total, seconds):,.0f}/s); engine run {r['seconds']}s"
        )
    print()
    print("Targets")
    for r in results:
        sizes = r["sizes"]
        slowest = min(m["parallel_eps"] for m in sizes)
        worst = max(m["parallel_ratio"] for m in sizes)
        small, large = sizes[0], sizes[-1]
        flat = large["py_peak_mib"] <= FLAT_TOLERANCE * small["py_peak_mib"] and (
            large["rss_growth_mib"] <= FLAT_TOLERANCE * small["rss_growth_mib"] + 2
        )
        checks = [
            (
                f"verify >= {VERIFY_TARGET:,}/s",
                slowest >= VERIFY_TARGET,
                f"{slowest:,.0f}/s (as the CLI runs it)",
            ),
            (
                f"verify <= {RATIO_TARGET:g}x baseline",
                worst <= RATIO_TARGET,
                f"{worst:.2f}x (as the CLI runs it; one process: "
                f"{max(m['ratio'] for m in sizes):.2f}x)",
            ),
            (
                "memory flat",
                flat,
                f"py peak {small['py_peak_mib']:.2f} -> {large['py_peak_mib']:.2f} MiB, "
                f"RSS +{small['rss_growth_mib']:.1f} -> +{large['rss_growth_mib']:.1f} MiB "
                f"({small['size']:,} -> {large['size']:,} events)",
            ),
        ]
        for name, ok, detail in checks:
            all_ok &= ok
            print(f"  {r['engine']:8} {name:24} {'MET' if ok else 'MISSED':6}  {detail}")
    return all_ok


def parse_args(argv: list[str] | None = None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--sizes", default="100000,1000000", help="chain lengths, comma-separated")
    p.add_argument("--append", type=int, default=10_000, help="events appended via audit.record")
    p.add_argument("--actions", type=int, default=1_000, help="real update_user calls")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per reading (best kept)")
    p.add_argument("--batch", type=int, default=10_000, help="rows per INSERT batch when building")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("OPENQMS_BENCH_DATABASE_URL", DEFAULT_PG_URL),
        help="PostgreSQL database to create (dropped first if it exists) and drop after",
    )
    p.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    p.add_argument(
        "--no-analyze", action="store_true", help="PostgreSQL: skip ANALYZE after building"
    )
    p.add_argument("--json", help="also write the results to this file")
    p.add_argument("--role", default="parent", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--measure-size", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    first_phase = args.append + args.actions + 1
    if args.sizes[0] < first_phase or args.sizes[-1] < first_phase + args.append:
        p.error(f"the smallest size must hold the {first_phase:,} appended events")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.role == "measure":  # the environment is inherited from the engine process
        sys.path.insert(0, str(ROOT / "src"))
        setup_django()
        Path(args.out).write_text(json.dumps(measure(args.measure_size, args.repeat)))
        return 0
    if args.role == "engine":
        Path(args.out).write_text(json.dumps(run_engine(args)))
        return 0

    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    started = time.perf_counter()
    results = []
    for engine in engines:
        args.engine = engine
        engine_start = time.perf_counter()
        results.append(child(args, "engine"))
        results[-1]["seconds"] = round(time.perf_counter() - engine_start)
    info = machine()
    info["seconds"] = round(time.perf_counter() - started)
    print_tables(info, results)
    print(
        f"\nTotal {info['seconds']}s. Command: {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
