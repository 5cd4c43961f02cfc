#!/usr/bin/env python3
"""Benchmark of the QMS frame, device register and suppliers at a large customer's size.

    .venv/bin/python benchmarks/qms_frame.py                 # both engines
    .venv/bin/python benchmarks/qms_frame.py --engine sqlite --repeat 20

For each engine, in a fresh database with the demo: first every list page at the demo's
size (a handful of rows: the baseline, measured in the same run), then with 500
suppliers (two certificates each), 200 devices, 60 processes feeding each other, 5,000
QMS certificates and 2,000 controlled documents (10,000 revisions) generated as rows.
Through the Django test client as the QA lead: each list page (first page and a later
one), the process map, the dashboard and the gap report page, p50/p95 over `--repeat`
requests and the query count of each, against the same page at the demo's size; and
the gap report built directly (`qms.gaps.build`), the median of `--repeat` builds.
Targets (issue 11): list pages p95 < 100 ms with constant query counts; the gap report
under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import environment
from documents import build as build_documents
from documents import timed

ROOT = Path(__file__).resolve().parent.parent
LISTS = {
    "suppliers": "/suppliers/",
    "suppliers p.10": "/suppliers/?page=10",
    "devices": "/devices/",
    "devices p.4": "/devices/?page=4",
    "certificates": "/qms/certificates/",
    "certificates p.50": "/qms/certificates/?page=50",
    "processes": "/qms/processes/",
    "outsourced": "/suppliers/outsourced/",
}
OTHER = {"process map": "/qms/processes/map/", "dashboard": "/qms/", "gap report": "/qms/gaps/"}


def build(suppliers: int, devices: int, processes: int, certificates: int) -> None:
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.devices.models import Device, DeviceClass
    from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily, Process
    from openqms.suppliers.models import Supplier, SupplierCertificate

    rng = random.Random(11)
    now, today = timezone.now(), timezone.localdate()
    qa = User.objects.get(username="qa")
    body = ApprovedBody.objects.first()
    assert body is not None, "the demo makes an approved body"
    made = Process.objects.bulk_create(
        Process(
            code=f"BP-{n:03d}",
            name=f"Process {n}",
            owner=qa,
            purpose="Benchmark process",
            risk=rng.choice(["low", "medium", "high"]),
            outsourced=n % 10 == 0,
            created_at=now,
        )
        for n in range(processes)
    )
    through = Process.feeds.through
    through.objects.bulk_create(
        through(from_process_id=a.pk, to_process_id=made[j].pk)
        for i, a in enumerate(made)
        for j in {min(i + 1 + rng.randrange(4), len(made) - 1)}
        if j != i
    )
    family = DeviceFamily.objects.create(code="BENCH", name="Benchmark family")
    classes = list(DeviceClass.objects.all())
    Device.objects.bulk_create(
        Device(
            family=family,
            name=f"Device {n}",
            model=f"{n}.0",
            intended_purpose="Benchmark device",
            device_class=rng.choice(classes),
            classification_rule="Rule 11",
            classification_justification="Benchmark",
            created_at=now,
        )
        for n in range(devices)
    )
    Certificate.objects.bulk_create(
        Certificate(
            kind=rng.choice(["iso13485", "ukca", "ce"]),
            number=f"BENCH-{n:05d}",
            body=body,
            scope_text="Benchmark scope",
            issued_on=today - dt.timedelta(days=rng.randrange(1, 1000)),
            expires_on=today + dt.timedelta(days=rng.randrange(1, 1500)),
            created_at=now,
        )
        for n in range(certificates)
    )
    made_suppliers = Supplier.objects.bulk_create(
        Supplier(
            name=f"Supplier {n:04d} Ltd",
            supplies="Parts",
            category=rng.choice(["component", "service", "software"]),
            criticality=rng.choice(["critical", "major", "minor"]),
            status=rng.choice(["new", "approved", "conditional"]),
            next_evaluation=today + dt.timedelta(days=rng.randrange(-30, 700)),
            created_at=now,
        )
        for n in range(suppliers)
    )
    SupplierCertificate.objects.bulk_create(
        SupplierCertificate(
            supplier=s,
            kind="iso13485",
            number=f"SC-{s.pk}-{k}",
            issuer="A body",
            expires_on=today + dt.timedelta(days=rng.randrange(1, 900)),
            created_at=now,
        )
        for s in made_suppliers
        for k in range(2)
    )


def pages(repeat: int) -> dict:
    from django.test import Client

    from openqms.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="qa"))
    return {name: timed(client, url, repeat) for name, url in {**LISTS, **OTHER}.items()}


def gap_build_ms(repeat: int) -> float:
    from openqms.qms.gaps import build as gap_report

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        gap_report()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run_engine(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, "openqms_qmsbench")
        import django
        from django.core.management import call_command

        django.setup()
        from django.conf import settings

        from openqms.core.demo import seed_demo

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        seed_demo()
        result: dict = {"engine": args.engine, "small": pages(args.repeat)}
        start = time.perf_counter()
        build(args.suppliers, args.devices, args.processes, args.certificates)
        build_documents(args.documents)
        result["build_s"] = time.perf_counter() - start
        if args.engine == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result["large"] = pages(args.repeat)
        result["gap_ms"] = gap_build_ms(args.repeat)
        result["sizes"] = vars(args) | {"engine": args.engine}
        return result


def report(results: list[dict]) -> None:
    print("\nQMS frame benchmark:", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    for r in results:
        s = r["sizes"]
        print(
            f"\n{r['engine']}: {s['suppliers']} suppliers, {s['devices']} devices, "
            f"{s['processes']} processes, {s['certificates']:,} certificates, "
            f"{s['documents']:,} documents (built in {r['build_s']:.0f} s)"
        )
        print("| page | p50 ms | p95 ms | queries | demo-size p95 ms | demo-size queries |")
        print("|---|---:|---:|---:|---:|---:|")
        for page, m in r["large"].items():
            small = r["small"][page]
            print(
                f"| {page} | {m['p50']:.1f} | {m['p95']:.1f} | {m['queries']} "
                f"| {small['p95']:.1f} | {small['queries']} |"
            )
        worst = max(r["large"][page]["p95"] for page in LISTS)
        constant = all(r["large"][p]["queries"] == r["small"][p]["queries"] for p in LISTS)
        print(
            f"Targets: list pages p95 < 100 ms: {'MET' if worst < 100 else 'MISSED'} "
            f"({worst:.1f} ms); constant queries: {'MET' if constant else 'MISSED'}; "
            f"gap report < 1 s: {'MET' if r['gap_ms'] < 1000 else 'MISSED'} "
            f"({r['gap_ms']:.0f} ms to build, page p95 {r['large']['gap report']['p95']:.0f} ms)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--processes", type=int, default=60)
    parser.add_argument("--certificates", type=int, default=5_000)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if args.engine != "both":
        print(json.dumps(run_engine(args)))
        return 0
    results = []
    for engine in ("sqlite", "postgres"):
        flags = [f"--{k}={v}" for k, v in vars(args).items() if k not in ("engine", "json")]
        cmd = [sys.executable, __file__, "--engine", engine, *flags]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
