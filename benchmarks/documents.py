#!/usr/bin/env python3
"""Benchmark of document control at a large customer's size, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/documents.py                 # both engines
    .venv/bin/python benchmarks/documents.py --engine sqlite --documents 2000

For each engine, in a fresh database: 10,000 documents with 50,000 revisions (each
document has superseded revisions and an effective one; one in five also has a draft),
built with generated rows. Then, through the Django test client as a signed-in QA lead
(who sees everything) and an employee (who sees effective revisions only):
- the document list (first page and page 50), a full-text search for a word one
  document in a hundred uses, and a document page: p50/p95 over `--repeat`
  requests, and the query count of each, compared with the same page at 100 documents;
- controlled PDF rendering, milliseconds per page;
- `openqms documents import` of `--import` generated Markdown files, documents/s.
Targets (issue 3): list and search p95 < 100 ms, constant query counts, import >= 50/s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import environment

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "device",
    "software",
    "risk",
    "hazard",
    "control",
    "review",
    "approval",
    "training",
    "supplier",
    "audit",
    "complaint",
    "vigilance",
    "design",
    "verification",
    "validation",
    "record",
    "calibration",
    "release",
    "labelling",
    "sterile",
    "clinical",
    "evaluation",
    "usability",
    "cybersecurity",
]


def body(rng: random.Random, n: int) -> str:
    paragraphs = []
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        paragraphs.append(f"## {i + 1}. Section\n\n{words.capitalize()}.")
    return "\n\n".join(paragraphs)


def build(documents: int) -> None:
    """Generated rows, inserted in bulk (set-up, not measured)."""
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.documents.models import Document, DocumentType, Revision

    rng = random.Random(7)
    owner = User.objects.get(username="author")
    sop = DocumentType.objects.get(code="procedure")
    start = Document.objects.count()
    now = timezone.now()
    for first in range(start, documents, 1000):
        batch = range(first, min(first + 1000, documents))
        docs = Document.objects.bulk_create(
            Document(
                number=f"SOP-{n + 1:05d}",
                title=f"{rng.choice(WORDS).title()} procedure {n + 1}",
                doc_type=sop,
                owner=owner,
                clauses=["4.2.4"],
                created_at=now,
                in_force=True,  # each has an effective revision (below)
            )
            for n in batch
        )
        revisions = []
        for doc in docs:
            count = 5 if doc.pk % 5 else 4
            for seq in range(1, count + 1):
                state = "superseded" if seq < 4 else "effective" if seq == 4 else "draft"
                text = body(rng, 3)
                if rng.random() < 0.01:  # a word one document in a hundred uses
                    text += "\n\nSterilisation is validated by the supplier."
                revisions.append(
                    Revision(
                        document=doc,
                        sequence=seq,
                        label="ABCDE"[seq - 1],
                        state=state,
                        body=text,
                        change_reason="Update",
                        author=owner,
                        created_at=now,
                        became_effective_at=now if state != "draft" else None,
                    )
                )
        Revision.objects.bulk_create(revisions)
    sop.next_number = documents + 1
    sop.save(update_fields=["next_number"])


def timed(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "queries": len(queries),
    }


def pages(repeat: int) -> dict:
    from django.test import Client

    from openqms.core.models import User

    out = {}
    for who in ("qa", "trainee"):
        client = Client()
        client.force_login(User.objects.get(username=who))
        out[who] = {
            "list": timed(client, "/documents/", repeat),
            "list p.50": timed(client, "/documents/?page=50", repeat),
            "search": timed(client, "/documents/?q=sterilisation", repeat),
            "document": timed(client, "/documents/SOP-00042/", repeat),
        }
    return out


def pdf_rate(samples: int = 20) -> float:
    import io

    from pypdf import PdfReader

    from openqms.documents.models import Revision
    from openqms.documents.pdf import render_revision

    revisions = list(Revision.objects.filter(state="effective")[:samples])
    start, pages_made = time.perf_counter(), 0
    for revision in revisions:
        pages_made += len(PdfReader(io.BytesIO(render_revision(revision))).pages)
    return (time.perf_counter() - start) * 1000 / pages_made


def import_rate(count: int) -> float:
    from openqms.core.models import User
    from openqms.documents import actions
    from openqms.documents.importer import plan_import

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            Path(folder, f"legacy-{i:05d}.md").write_text(body(rng, 4), encoding="utf-8")
        qa = User.objects.get(username="qa")
        start = time.perf_counter()
        plan = plan_import(
            Path(folder), manifest=None, default_type="work_instruction", default_owner=qa
        )
        assert not plan.problems, plan.problems[:3]
        actions.import_documents(actor=qa, rows=plan.rows)
        return count / (time.perf_counter() - start)


def run_engine(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, "openqms_docbench")
        import django
        from django.core.management import call_command

        django.setup()
        from django.conf import settings

        from openqms.core.demo import seed_demo

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

        call_command("migrate", verbosity=0)
        seed_demo()  # the cast and the demo documents
        result = {"engine": args.engine}
        build(100)
        result["small"] = pages(args.repeat)
        start = time.perf_counter()
        build(args.documents)
        result["build_s"] = time.perf_counter() - start
        if args.engine == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from openqms.documents.models import Document, Revision

        result["documents"], result["revisions"] = (
            Document.objects.count(),
            Revision.objects.count(),
        )
        result["large"] = pages(args.repeat)
        result["pdf_ms_per_page"] = pdf_rate()
        result["import_per_s"] = import_rate(args.imports)
        return result


def report(results: list[dict]) -> None:
    print("\nDocument control benchmark:", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    for r in results:
        print(
            f"\n{r['engine']}: {r['documents']:,} documents, {r['revisions']:,} revisions "
            f"(built in {r['build_s']:.0f} s)"
        )
        print(f"| page ({'who'}) | p50 ms | p95 ms | queries | queries at 100 docs |")
        print("|---|---:|---:|---:|---:|")
        for who, rows in r["large"].items():
            for page, m in rows.items():
                small = r["small"][who][page]["queries"]
                print(
                    f"| {page} ({who}) | {m['p50']:.1f} | {m['p95']:.1f} | {m['queries']} "
                    f"| {small} |"
                )
        print(
            f"PDF rendering: {r['pdf_ms_per_page']:.1f} ms per page; "
            f"import: {r['import_per_s']:.0f} documents/s"
        )
        worst = max(
            m["p95"]
            for rows in r["large"].values()
            for page, m in rows.items()
            if page in ("list", "search")
        )
        constant = all(
            m["queries"] == r["small"][who][page]["queries"]
            for who, rows in r["large"].items()
            for page, m in rows.items()
        )
        print(
            f"Targets: list/search p95 < 100 ms: {'MET' if worst < 100 else 'MISSED'} "
            f"({worst:.1f} ms); constant queries: {'MET' if constant else 'MISSED'}; "
            f"import >= 50/s: {'MET' if r['import_per_s'] >= 50 else 'MISSED'} "
            f"({r['import_per_s']:.0f}/s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--imports", type=int, default=500)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if args.engine != "both":
        print(json.dumps(run_engine(args)))
        return 0
    results = []
    for engine in ("sqlite", "postgres"):
        cmd = [
            sys.executable,
            __file__,
            "--engine",
            engine,
            "--documents",
            str(args.documents),
            "--repeat",
            str(args.repeat),
            "--imports",
            str(args.imports),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
