#!/usr/bin/env python3
"""Benchmark of Markdown laid out in the controlled PDF (issue 10: tables as tables).

    .venv/bin/python benchmarks/pdf_markdown.py --sections 30 --repeat 5

The same words (benchmarks/documents.py's, `--sections` sections of 60 words) as three
bodies, each rendered by core's PDF kit (`ControlledPDF.markdown`, the one renderer of
core/text.py, then fpdf2) `--repeat` times in one process:
- prose: a heading and a paragraph per section (what pdf_render.py's bodies are; the
  baseline of this run);
- tables and lists: per section a heading, a 4-column table of 5 rows with the words in
  its cells, and a list with two-space sub-lists;
- too deep: a 40-level list, which is printed as written after a note.
Prints the median ms per PDF, the pages, ms per page and each body's cost against prose.
No database rows are needed: the PDF kit only asks whether the (empty) database is a demo.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _table(rng: random.Random, words: list[str]) -> str:
    rows = ["| Step | Who | What | Record |", "|:--|:--|:--|--:|"]
    for row in range(5):
        what = " ".join(rng.choice(words) for _ in range(9))
        rows.append(f"| {row + 1} | {rng.choice(words)} | {what} | QR-{row:02} |")
    return "\n".join(rows)


def bodies(sections: int) -> dict[str, str]:
    from documents import WORDS, body

    rng = random.Random(10)
    parts = []
    for i in range(sections):
        items = [" ".join(rng.choice(WORDS) for _ in range(4)) for _ in range(4)]
        parts.append(
            f"## {i + 1}. Section\n\n{_table(rng, WORDS)}\n\n"
            f"- {items[0]}\n  - {items[1]}\n    - {items[2]}\n- {items[3]}"
        )
    deep = "".join("  " * level + f"- level {level}\n" for level in range(40))
    return {
        "prose": body(random.Random(10), sections),
        "tables and lists": "\n\n".join(parts),
        "too deep (as written)": deep,
    }


def render(text: str) -> tuple[float, int]:
    from openqms.core.pdf import ControlledPDF

    start = time.perf_counter()
    pdf = ControlledPDF(title="BENCH-001  Markdown", subtitle="Revision A", note="benchmark")
    pdf.add_page()
    pdf.markdown(text)
    pdf.output()
    return (time.perf_counter() - start) * 1000, pdf.page_no()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update(
            OPENQMS_DATA_DIR=data_dir,
            OPENQMS_SECRET_KEY="bench-" + "x" * 50,
            DJANGO_SETTINGS_MODULE="openqms.settings",
            OPENQMS_ALLOWED_HOSTS="*",
            OPENQMS_SSL_REDIRECT="false",
        )
        os.environ.pop("OPENQMS_DATABASE_URL", None)
        import django

        django.setup()
        render("warm up: fonts parsed once per process")
        print("| body | pages | ms per PDF (median) | ms per page | per page vs prose |")
        print("|---|---:|---:|---:|---:|")
        baseline = 0.0
        for name, text in bodies(args.sections).items():
            runs = [render(text) for _ in range(args.repeat)]
            ms, pages = statistics.median(r[0] for r in runs), runs[0][1]
            per_page = ms / pages
            baseline = baseline or per_page
            print(f"| {name} | {pages} | {ms:.0f} | {per_page:.0f} | x{per_page / baseline:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
