#!/usr/bin/env python3
"""Benchmark of quality events at a large manufacturer's size (issue 12).

    .venv/bin/python benchmarks/quality_events.py                   # both engines
    .venv/bin/python benchmarks/quality_events.py --engine sqlite --repeat 20
    .venv/bin/python benchmarks/quality_events.py --complaints 5000  # a quick run

For each engine, in a fresh database with the demo: first every page at the demo's size
(the baseline, measured in the same run), then with 100,000 complaints (each with its
feedback) over 10 years across 200 devices, about 1% of them serious incidents with a
reportability decision, and 5,000 records of every other kind whose model is installed
(CAPAs, nonconformities…), all made with bulk_create. Through the Django test client as
the QA lead: the quality events overview and each kind's list page (first page and a
later one, where the area's pages are installed), p50/p95 over `--repeat` requests and
the query count of each, against the same page at the demo's size.

Hooks other areas fill (each skips, saying so, while its area is absent): the trend
computation for one device (`trend_ms`, target < 200 ms) and the PMS pack export for
one device (`pms_pack_s`, target < 10 s).

Targets (issue 12): dashboard and list p95 < 100 ms with constant query counts.
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
from documents import timed

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000
SKIPPED = "skipped: that area is not installed"


def _kinds():
    """(kind, model) for every kind of events/kinds.py whose model is installed."""
    from openqms.events.dashboard import installed_kinds

    return list(installed_kinds())


def _devices(count: int):
    from django.utils import timezone

    from openqms.devices.models import Device, DeviceClass
    from openqms.qms.models import DeviceFamily

    family, _ = DeviceFamily.objects.get_or_create(code="QEBENCH", defaults={"name": "Bench"})
    classes = list(DeviceClass.objects.all())
    rng = random.Random(12)
    return Device.objects.bulk_create(
        Device(
            family=family,
            name=f"Bench device {n}",
            model=f"{n}.0",
            intended_purpose="Benchmark device",
            device_class=rng.choice(classes),
            classification_rule="Rule 11",
            classification_justification="Benchmark",
            created_at=timezone.now(),
        )
        for n in range(count)
    )


def build_complaints(count: int, devices: list, years: int = 10) -> None:
    """`count` complaints, each with its feedback, spread over `years` years; those older
    than 90 days closed; about 1% serious with a decision (the clock) in force."""
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.events.models import Category, Complaint, Feedback, ReportabilityDecision

    rng = random.Random(1212)
    qa = User.objects.get(username="qa")
    now = timezone.now()
    span = years * 365 * 86400
    for start in range(0, count, BATCH):
        stamps = [now - dt.timedelta(seconds=rng.randrange(span)) for _ in range(BATCH)]
        stamps = stamps[: min(BATCH, count - start)]
        feedback = Feedback.objects.bulk_create(
            Feedback(
                number=f"FB-B{start + i:07d}",
                title=f"Bench feedback {start + i}",
                owner=qa,
                opened_by=qa,
                opened_at=at,
                source="customer",
                received_at=at,
                description="Benchmark",
                classification="complaint",
                closed_at=at,
            )
            for i, at in enumerate(stamps)
        )
        made = Complaint.objects.bulk_create(
            Complaint(
                number=f"CMP-B{start + i:07d}",
                title=f"Bench complaint {start + i}",
                device=rng.choice(devices),
                owner=qa,
                opened_by=qa,
                opened_at=f.opened_at,
                closed_at=None if (now - f.opened_at).days < 90 else f.opened_at,
                state="open" if (now - f.opened_at).days < 90 else "closed",
                feedback=f,
                source="customer",
                received_at=f.opened_at,
                awareness_at=f.opened_at,
                what_happened="Benchmark",
                incident_type=rng.choice(["none", "non_serious_incident", "expected_side_effect"]),
            )
            for i, f in enumerate(feedback)
        )
        ReportabilityDecision.objects.bulk_create(
            ReportabilityDecision(
                complaint=c,
                death=False,
                serious_deterioration=True,
                public_health_threat=False,
                unanticipated=False,
                device_related=True,
                trend_candidate=False,
                category=Category.OTHER_SERIOUS,
                rationale="Benchmark",
                deadline_at=c.awareness_at + dt.timedelta(days=15),
                decided_by=qa,
                decided_at=c.awareness_at,
            )
            for c in made
            if rng.random() < 0.01
        )


def _filler(field, n: int, now):
    """A value for a required field of a kind this benchmark does not know."""
    from django.db import models

    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return now
    if isinstance(field, models.DateField):
        return now.date()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return 0
    if isinstance(field, models.CharField | models.TextField):
        return f"Bench {n}"[: field.max_length or 50]
    raise LookupError(field.name)


def build_other_kinds(count: int, devices: list) -> dict[str, str]:
    """`count` records of each installed kind but feedback and complaints, opened over 10
    years, a tenth still open; a kind with a required link the benchmark cannot fill is
    skipped (said in the results). Areas may give a kind its own builder here."""
    from django.db import IntegrityError, models, transaction
    from django.utils import timezone

    from openqms.core.models import User

    qa = User.objects.get(username="qa")
    now = timezone.now()
    rng = random.Random(1213)
    base = {"number", "title", "device", "owner", "opened_by", "opened_at", "closed_at", "id"}
    said: dict[str, str] = {}
    for kind, model in _kinds():
        if kind.code in ("feedback", "complaint"):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in base
            and not f.null
            and not f.has_default()
            and not getattr(f, "auto_now_add", False)
        ]
        if any(isinstance(f, models.ForeignKey) and f.related_model is not User for f in fields):
            said[kind.code] = "skipped: a required link the benchmark cannot fill"
            continue
        try:
            rows = []
            for n in range(count):
                at = now - dt.timedelta(days=rng.randrange(3650))
                values = {
                    f.name: (qa if isinstance(f, models.ForeignKey) else _filler(f, n, now))
                    for f in fields
                }
                rows.append(
                    model(
                        number=f"{kind.prefix}-B{n:07d}",
                        title=f"Bench {kind.label} {n}",
                        device=rng.choice(devices),
                        owner=qa,
                        opened_by=qa,
                        opened_at=at,
                        closed_at=None if n % 10 == 0 else at,
                        **values,
                    )
                )
            with transaction.atomic():
                model._default_manager.bulk_create(rows, batch_size=BATCH)
            said[kind.code] = f"{count:,} made"
        except LookupError as missing:
            said[kind.code] = f"skipped: cannot fill {missing}"
        except IntegrityError as refused:  # a rule the generic filler cannot meet
            said[kind.code] = f"skipped: {str(refused).splitlines()[0][:80]}"
    return said


def page_urls() -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse

    urls = {"overview": reverse("events:dashboard")}
    for kind, _model in _kinds():
        try:
            url = reverse(kind.list_url)
        except NoReverseMatch:  # that area's pages are not installed
            continue
        urls[kind.plural] = url
        urls[f"{kind.plural} p.50"] = f"{url}?page=50"
    return urls


def pages(repeat: int, urls: dict[str, str]) -> dict:
    from django.test import Client

    from openqms.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="qa"))
    found = {}
    for name, url in urls.items():
        try:
            found[name] = timed(client, url, repeat)
        except AssertionError:  # a later page that does not exist at the demo's size
            found[name] = None
    return found


def _trend_ready(device) -> None:
    """Give `device` what a trend needs: its complaints counted as non-serious incidents
    or expected side effects, 10 years of monthly sales figures, and a method (baseline
    of the first 12 months, k = 3)."""
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.events.models import Complaint, ExposureFigure, TrendMethod

    qa = User.objects.get(username="qa")
    now = timezone.now()
    Complaint.objects.filter(device=device).update(incident_type="non_serious_incident")
    Complaint.objects.filter(device=device, pk__endswith="7").update(
        incident_type="expected_side_effect"
    )
    first = (now - dt.timedelta(days=3660)).date().replace(day=1)
    months, day = [], first
    while day <= now.date():
        nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        months.append((day, nxt - dt.timedelta(days=1)))
        day = nxt
    ExposureFigure.objects.bulk_create(
        ExposureFigure(
            device=device,
            period_start=start,
            period_end=end,
            units_sold=1000,
            entered_by=qa,
            entered_at=now,
        )
        for start, end in months
    )
    TrendMethod.objects.create(
        device=device,
        plan_reference="Bench PMS plan, section 4",
        baseline_periods=12,
        set_by=qa,
        set_at=now,
    )


def trend_ms(repeat: int, device) -> float:
    """The trend computation for one device (every counted series), median of `repeat`."""
    from openqms.events.chart import trends_for

    _trend_ready(device)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        trends_for([device.pk])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pms_pack_s(device) -> float:
    """The one-click PMS pack for one device: the index PDF and the whole ZIP, read."""
    from openqms.core.models import User
    from openqms.events import pms_files

    qa = User.objects.get(username="qa")
    start = time.perf_counter()
    found = pms_files.pms_pack(device, qa)
    stream = pms_files.pack_zip(found, qa)
    while stream.read(1 << 20):
        pass
    return time.perf_counter() - start


def run_engine(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, "openqms_qebench")
        import django
        from django.core.management import call_command

        django.setup()
        from django.conf import settings

        from openqms.core.demo import seed_demo

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        seed_demo()
        urls = page_urls()
        result: dict = {"engine": args.engine, "small": pages(args.repeat, urls)}
        start = time.perf_counter()
        devices = _devices(args.devices)
        build_complaints(args.complaints, devices)
        result["kinds"] = build_other_kinds(args.others, devices)
        result["build_s"] = time.perf_counter() - start
        if args.engine == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result["large"] = pages(args.repeat, urls)
        result["trend_ms"] = trend_ms(args.repeat, devices[0])
        result["pms_pack_s"] = pms_pack_s(devices[0])
        result["sizes"] = vars(args) | {"engine": args.engine}
        return result


def _ms(m: dict | None, key: str) -> str:
    return "—" if m is None else (f"{m[key]:.1f}" if key != "queries" else str(m[key]))


def report(results: list[dict]) -> None:
    print("\nQuality events benchmark:", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    for r in results:
        s = r["sizes"]
        print(
            f"\n{r['engine']}: {s['complaints']:,} complaints over 10 years, {s['devices']} "
            f"devices; other kinds: {r['kinds'] or 'none installed'} "
            f"(built in {r['build_s']:.0f} s)"
        )
        print("| page | p50 ms | p95 ms | queries | demo-size p95 ms | demo-size queries |")
        print("|---|---:|---:|---:|---:|---:|")
        for page, m in r["large"].items():
            small = r["small"].get(page)
            print(
                f"| {page} | {_ms(m, 'p50')} | {_ms(m, 'p95')} | {_ms(m, 'queries')} "
                f"| {_ms(small, 'p95')} | {_ms(small, 'queries')} |"
            )
        measured = [m for m in r["large"].values() if m]
        worst = max((m["p95"] for m in measured), default=0.0)
        constant = all(
            r["small"].get(p) is None or m is None or m["queries"] == r["small"][p]["queries"]
            for p, m in r["large"].items()
        )
        print(
            f"Targets: dashboard and list p95 < 100 ms: {'MET' if worst < 100 else 'MISSED'} "
            f"({worst:.1f} ms); constant queries: {'MET' if constant else 'MISSED'}; "
            f"trend for one device < 200 ms: {r['trend_ms']}; "
            f"PMS pack for one device < 10 s: {r['pms_pack_s']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=5_000, help="records of each other kind")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if args.engine != "both":
        print(json.dumps(run_engine(args), default=str))
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
