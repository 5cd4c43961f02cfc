"""The design history file of a baseline (ISO 13485 7.3.10): the project, the baseline
and its signature, the items by type at their versions, the links, the design reviews,
the design changes and a summary of the test evidence, as a PDF; and as a ZIP holding
that PDF, the items and links as CSV, the JUnit results as CSV and index.json with the
SHA-256 of every file (so a reader can check each file away from OpenQMS)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections import Counter, defaultdict

from django.utils import timezone

from openqms.core.models import User
from openqms.core.pdf import FONT, ControlledPDF, generated_note, local_time, signature_page
from openqms.core.spreadsheet import safe
from openqms.design.models import (
    Baseline,
    BaselineItem,
    BaselineLink,
    DesignChange,
    DesignReview,
    ItemType,
    TestResult,
    TestRun,
)


def _reviews(baseline: Baseline) -> list[DesignReview]:
    return list(
        DesignReview.objects.filter(
            project_id=baseline.project_id, created_at__lte=_until(baseline)
        )
        .select_related("phase", "baseline")
        .prefetch_related("participants__person")
        .order_by("created_at")
    )


def _changes(baseline: Baseline) -> list[DesignChange]:
    return list(
        DesignChange.objects.filter(
            project_id=baseline.project_id, created_at__lte=_until(baseline)
        )
        .select_related("new_baseline")
        .order_by("number")
    )


def _until(baseline: Baseline) -> dt.datetime:
    """What the file covers: everything up to the signature (or now, when open)."""
    return baseline.signed_at or timezone.now()


def _runs(baseline: Baseline) -> list[tuple[TestRun, Counter]]:
    runs = list(TestRun.objects.filter(baseline=baseline).order_by("ingested_at"))
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = TestResult.objects.filter(run__baseline=baseline).values_list("run_id", "outcome")
    for run_id, outcome in rows:
        counts[run_id][outcome] += 1
    return [(r, counts[r.pk]) for r in runs]


def pdf_bytes(baseline: Baseline, generated_by: User) -> bytes:
    project = baseline.project
    pdf = ControlledPDF(
        title=f"Design history file — {project.name}",
        subtitle=f"Baseline “{baseline.name}” ({baseline.get_kind_display()}), "
        f"{baseline.get_state_display()}",
        note=generated_note(generated_by),
    )
    pdf.describe(
        title=f"DHF {project.name} {baseline.name}",
        subject="Design history file (ISO 13485 7.3.10)",
        author="OpenQMS",
    )
    pdf.add_page()
    pdf.section("Design project")
    pdf.grid(
        [45, 129],
        ["", ""],
        [
            ["Project", f"{project.name} {project.title}".strip()],
            ["Device", str(project.device) if project.device_id else "—"],
            ["Development plan", str(project.development_plan or "—")],
        ],
    )
    items = list(BaselineItem.objects.filter(baseline=baseline).order_by("uid"))
    links = list(BaselineLink.objects.filter(baseline=baseline).order_by("source_uid", "pk"))
    pdf.section("Baseline")
    pdf.grid(
        [45, 129],
        ["", ""],
        [
            ["Name", baseline.name],
            ["Kind", baseline.get_kind_display()],
            ["State", baseline.get_state_display()],
            ["Taken", f"{local_time(baseline.created_at)} by {baseline.created_by.full_name}"],
            ["Signed", local_time(baseline.signed_at)],
            ["Snapshot version", str(baseline.version)],
            ["Items / links", f"{len(items)} / {len(links)}"],
            # Two hashes, each named for what it covers: this one the snapshot's items and
            # links; the signature page's "content SHA-256" the record the QA lead signed
            # (name, kind and this digest).
            ["Snapshot digest (items, links)", baseline.digest],
        ],
    )
    names = dict(ItemType.objects.values_list("code", "name"))
    by_type: dict[str, list[BaselineItem]] = defaultdict(list)
    for i in items:
        by_type[i.type_code].append(i)
    for code, rows in by_type.items():
        pdf.section(f"{names.get(code, code)} ({len(rows)})")
        pdf.grid(
            [30, 14, 130], ["ID", "Version", "Title"], [[i.uid, i.version, i.title] for i in rows]
        )
    pdf.section(f"Links ({len(links)})")
    pdf.grid(
        [45, 30, 45, 20],
        ["From", "Kind", "To", "Suspect"],
        [
            [x.source_uid, x.kind.replace("_", " "), x.target_uid, "yes" if x.suspect else "no"]
            for x in links
        ],
    )
    pdf.section("Design reviews")
    pdf.grid(
        [50, 30, 35, 59],
        ["Review", "Phase", "Outcome / state", "Signed by"],
        [
            [
                r.title,
                r.phase.name if r.phase else "—",
                f"{r.get_outcome_display()} / {r.get_state_display()}",
                ", ".join(
                    f"{p.person.full_name} ({p.get_role_display()}, {p.get_state_display()})"
                    for p in r.participants.all()
                ),
            ]
            for r in _reviews(baseline)
        ],
    )
    pdf.section("Design changes")
    pdf.grid(
        [32, 72, 30, 40],
        ["Number", "Title", "State", "New baseline"],
        [
            [
                c.number,
                c.title,
                c.get_state_display(),
                c.new_baseline.name if c.new_baseline else "—",
            ]
            for c in _changes(baseline)
        ],
    )
    pdf.section("Verification evidence (test runs in this baseline)")
    pdf.grid(
        [50, 34, 30, 15, 15, 15, 15],
        ["File", "Commit", "Build", "Cases", "Passed", "Failed", "Linked"],
        [
            [
                r.file_name,
                r.commit or "—",
                r.build or "—",
                r.cases,
                c["passed"],
                c["failed"] + c["error"],
                r.linked,
            ]
            for r, c in _runs(baseline)
        ],
    )
    pdf.set_font(FONT, "", 8)
    signature_page(pdf, baseline, label=f"baseline “{baseline.name}”")
    return bytes(pdf.output())


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    # Titles, texts and names are typed by people: shown as text, never run as formulas.
    writer.writerows([safe(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")


def zip_files(baseline: Baseline, generated_by: User) -> dict[str, bytes]:
    """The files of the DHF ZIP by name (index.json last)."""
    items = BaselineItem.objects.filter(baseline=baseline).order_by("uid")
    links = BaselineLink.objects.filter(baseline=baseline).order_by("source_uid", "pk")
    results = (
        TestResult.objects.filter(run__baseline=baseline)
        .select_related("run", "item")
        .order_by("run__ingested_at", "pk")
    )
    files = {
        "dhf.pdf": pdf_bytes(baseline, generated_by),
        "items.csv": _csv(
            ["uid", "type", "version", "title", "text", "attributes"],
            [
                [
                    i.uid,
                    i.type_code,
                    i.version,
                    i.title,
                    i.text,
                    json.dumps(i.attributes, sort_keys=True),
                ]
                for i in items
            ],
        ),
        "links.csv": _csv(
            ["source", "kind", "target", "suspect"],
            [[x.source_uid, x.kind, x.target_uid, "yes" if x.suspect else "no"] for x in links],
        ),
        "test-results.csv": _csv(
            [
                "file",
                "sha256",
                "commit",
                "build",
                "case",
                "item",
                "item_version",
                "outcome",
                "duration",
                "message",
            ],
            [
                [
                    r.run.file_name,
                    r.run.sha256,
                    r.run.commit,
                    r.run.build,
                    r.case,
                    r.item.uid if r.item else "",
                    "" if r.item_version is None else r.item_version,
                    r.outcome,
                    "" if r.duration is None else r.duration,
                    r.message,
                ]
                for r in results
            ],
        ),
    }
    index = {
        "project": baseline.project.name,
        "baseline": baseline.name,
        "state": baseline.state,
        "digest": baseline.digest,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    files["index.json"] = json.dumps(index, indent=2, sort_keys=True).encode("utf-8")
    return files


def zip_bytes(baseline: Baseline, generated_by: User) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in zip_files(baseline, generated_by).items():
            archive.writestr(name, data)
    return out.getvalue()
