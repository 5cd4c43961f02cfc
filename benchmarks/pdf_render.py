#!/usr/bin/env python3
"""Benchmark of the PDF renderings `openqms archive export` writes (and pages download).

    .venv/bin/python benchmarks/pdf_render.py                       # PostgreSQL
    .venv/bin/python benchmarks/pdf_render.py --engine sqlite --documents 100

In a fresh database: the demo data, plus `--documents` generated documents with five
revisions each (benchmarks/documents.py's bodies: three sections of 60 words). Then:
1. The same PDFs made three ways, each `--repeat` times, in this process:
   - before: as before the font cache: all four DejaVu styles added to every PDF, each
     file parsed again (fpdf2 add_font) and each style embedded as a subset;
   - lazy: styles added on first use, still parsed for each PDF;
   - now: styles on first use, parsed once per process (core/pdf_fonts.py).
   ms per revision PDF (`--samples` effective revisions) and per training record (every
   person of the demo), and whether "lazy" and "now" made byte-identical revision PDFs.
2. `archive export` of the whole database with --workers 1 and with --workers <CPUs>
   (PostgreSQL only: SQLite renders in the exporting process), the time of the PDF
   stage, PDFs/s.
3. The projected PDF stage for 50,000 revisions and 2,000 training records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_env import environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def kinds() -> dict[str, type]:
    from openqms.core.pdf import _FONT_FILES, FONT, ControlledPDF, font_dir

    class Now(ControlledPDF):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            self.set_creation_date(WHEN)  # so that the bytes can be compared

    class Lazy(Now):
        font_cache = False

    class Before(Lazy):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            for style, name in _FONT_FILES.items():
                self.add_font(FONT, style, font_dir() / name)

    return {"before": Before, "lazy": Lazy, "now": Now}


def per_pdf(samples: int, repeat: int) -> dict:
    from openqms.core.models import User
    from openqms.documents import pdf as documents_pdf
    from openqms.documents.models import Revision
    from openqms.training import pdf as training_pdf
    from openqms.training.export import person_record

    revisions = list(
        Revision.objects.filter(state="effective").select_related("document")[:samples]
    )
    people = [person_record(p) for p in User.objects.order_by("pk")]
    qa = User.objects.get(username="qa")
    out: dict = {"revisions": len(revisions), "records": len(people)}
    made: dict[str, list[bytes]] = {}
    for name, kind in kinds().items():
        documents_pdf.ControlledPDF = training_pdf.ControlledPDF = kind  # type: ignore[misc]
        rev_ms, rec_ms = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            made[name] = [documents_pdf.render_revision(r) for r in revisions]
            rev_ms.append((time.perf_counter() - start) * 1000 / len(revisions))
            start = time.perf_counter()
            for record in people:
                training_pdf.render_person_record(record, generated_by=qa)
            rec_ms.append((time.perf_counter() - start) * 1000 / len(people))
        out[name] = {
            "revision_ms": statistics.median(rev_ms),
            "record_ms": statistics.median(rec_ms),
        }
    documents_pdf.ControlledPDF = training_pdf.ControlledPDF = kinds()["now"].__mro__[1]
    out["identical"] = made["lazy"] == made["now"]
    out["kb_before"] = sum(map(len, made["before"])) / len(revisions) / 1024
    out["kb_now"] = sum(map(len, made["now"])) / len(revisions) / 1024
    return out


def export(workers: int) -> dict:
    from openqms.core.archive.export import export_archive
    from openqms.core.archive.writer import Progress

    class Stages(Progress):
        def __init__(self) -> None:
            super().__init__(quiet=True)
            self.at, self.times = time.perf_counter(), {}

        def done(self, name: str, what: str) -> None:
            now = time.perf_counter()
            self.times[name], self.at = now - self.at, now

    progress = Stages()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        manifest = export_archive(Path(folder) / "a.zip", progress=progress, workers=workers)
        total = time.perf_counter() - start
    pdf_s = progress.times["pdf/"]
    return {
        "workers": workers,
        "total_s": total,
        "pdf_s": pdf_s,
        "pdfs": manifest["renderings"],
        "pdfs_per_s": manifest["renderings"] / pdf_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument(
        "--documents", type=int, default=200, help="generated documents (x5 revisions)"
    )
    parser.add_argument("--samples", type=int, default=20, help="revision PDFs per repeat")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, "openqms_pdfbench")
        import django
        from django.core.management import call_command

        django.setup()
        from documents import build

        from openqms.core.demo import seed_demo
        from openqms.documents.models import Revision

        call_command("migrate", verbosity=0)
        seed_demo()
        build(args.documents)
        print(f"{args.engine}: {Revision.objects.count():,} revisions, CPUs {os.cpu_count()}")
        r = per_pdf(args.samples, args.repeat)
        print(
            f"\n1. per PDF ({r['revisions']} revisions, {r['records']} training records, "
            f"median of {args.repeat})"
        )
        print("| fonts | ms per revision | ms per training record |")
        print("|---|---:|---:|")
        for name in ("before", "lazy", "now"):
            print(f"| {name} | {r[name]['revision_ms']:.0f} | {r[name]['record_ms']:.0f} |")
        print(
            f"lazy and now byte-identical: {r['identical']}; revision PDF "
            f"{r['kb_before']:.1f} KiB before, {r['kb_now']:.1f} KiB now"
        )
        print("\n2. archive export")
        print("| workers | PDFs | PDF stage s | PDFs/s | whole export s |")
        print("|---:|---:|---:|---:|---:|")
        runs = [export(1)]
        if args.engine == "postgres" and (os.cpu_count() or 1) > 1:
            runs.append(export(os.cpu_count() or 1))
        for e in runs:
            print(
                f"| {e['workers']} | {e['pdfs']:,} | {e['pdf_s']:.1f} | "
                f"{e['pdfs_per_s']:.1f} | {e['total_s']:.1f} |"
            )
        best = runs[-1]  # the most workers measured
        serial_s = (50_000 * r["now"]["revision_ms"] + 2_000 * r["now"]["record_ms"]) / 1000
        speedup = best["pdfs_per_s"] / runs[0]["pdfs_per_s"]
        before_s = (50_000 * r["before"]["revision_ms"] + 2_000 * r["before"]["record_ms"]) / 1000
        print(
            f"\n3. projected PDF stage for 50,000 revisions + 2,000 training records: "
            f"before {before_s / 60:.0f} min; now {serial_s / 60:.0f} min in one process, "
            f"{serial_s / speedup / 60:.0f} min with {best['workers']} workers "
            f"(x{speedup:.2f} measured in 2.)"
        )
        if args.engine == "postgres":
            from django.db import connections

            connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
