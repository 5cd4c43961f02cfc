#!/usr/bin/env python3
"""Benchmark: a controlled PDF with a merged PDF original (documents/originals.py).

    .venv/bin/python benchmarks/pdf_originals.py                    # SQLite
    .venv/bin/python benchmarks/pdf_originals.py --engine postgres

Two documents with the same Markdown body, long enough for a 30-page controlled PDF
(sections of 60-word paragraphs, grown until the rendering has 30 pages). One has a
20-page PDF original attached (made with fpdf2, about 350 words a page). Each is rendered
`--repeat` times (render_revision, as the page and the archive call it); the figures are
the median and the slowest wall-clock seconds and the median CPU seconds. Baseline: the
plain 30-page PDF, same run.
Target (issue 10): the 30-page PDF with the merged 20-page original in under 2 s.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time

from bench_env import environment

WORDS = [  # the vocabulary of the generated text
    *["device", "risk", "control", "record", "review", "approve", "supplier", "design"],
    *["verification", "validation", "training", "competence", "procedure", "audit"],
    *["nonconformity", "corrective", "preventive", "action", "sterile", "label"],
    *["complaint", "release", "batch", "inspection", "calibration", "equipment", "software"],
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def body(sections: int) -> str:
    rng = random.Random(10)
    return "\n\n".join(
        f"## {i + 1}. Section\n\n{words(rng, 60).capitalize()}.\n\n{words(rng, 60).capitalize()}."
        for i in range(sections)
    )


def original(pages: int) -> bytes:
    from fpdf import FPDF

    rng = random.Random(20)
    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=10)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 5, f"Page {n + 1}. " + words(rng, 350))
    return bytes(pdf.output())


def pages_of(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def timed(revision, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds of each rendering (CPU time is what a shared, loaded
    machine disturbs least), and the pages of the last one."""
    from openqms.documents.pdf import render_revision

    wall, cpu, data = [], [], b""
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = render_revision(revision)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu, pages_of(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pages", type=int, default=30, help="pages of the Markdown PDF")
    parser.add_argument("--original-pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, "openqms_originalsbench")
        import django
        from django.core.management import call_command

        django.setup()
        from openqms.documents import actions
        from openqms.documents.models import DocumentType
        from openqms.documents.pdf import render_revision
        from openqms.testing import make_cast

        call_command("migrate", verbosity=0)
        cast = make_cast()
        sop = DocumentType.objects.get(code="procedure")

        def document(sections: int):
            return actions.create_document(
                actor=cast.author, doc_type=sop, title="Benchmark", body=body(sections)
            )

        sections = 10
        plain = document(sections)
        while pages_of(render_revision(plain)) < args.pages:  # grow to the page count
            sections += 5
            plain = actions.edit_draft(
                actor=cast.author,
                revision=plain,
                body=body(sections),
                change_summary="",
                change_reason="Benchmark",
            )
        merged = document(sections)
        actions.attach_file(
            actor=cast.author,
            revision=merged,
            name="Original.pdf",
            content=io.BytesIO(original(args.original_pages)),
        )
        print(f"{args.engine}, CPUs {os.cpu_count()}, {sections} sections, repeat {args.repeat}")
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        print("| controlled PDF | pages | wall s, median | wall s, slowest | CPU s, median |")
        print("|---|---:|---:|---:|---:|")
        for name, revision in (
            ("baseline: Markdown body only", plain),
            (f"with a merged {args.original_pages}-page PDF original", merged),
        ):
            wall, cpu, pages = timed(revision, args.repeat)
            print(
                f"| {name} | {pages} | {statistics.median(wall):.2f} | {max(wall):.2f} "
                f"| {statistics.median(cpu):.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
