"""The validation report as a PDF a QA lead reads and an auditor keeps: landscape A4,
core's controlled layout (header, footer with page x of y), tables that wrap. It is made
from the report's JSON body only, so the PDF and the JSON never disagree."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from openqms.core.pdf import FONT, ControlledPDF

WIDE = 261  # landscape A4 less the margins, in mm


def _grid(
    pdf: ControlledPDF, widths: Sequence[int], heading: Sequence[str], rows: Iterable[Sequence]
) -> None:
    cells: list[Sequence[Any]] = [tuple(row) for row in rows]
    pdf.grid(widths, heading, cells)


def _result(passed: bool) -> str:
    return "PASSED" if passed else "FAILED"


def _pairs(pdf: ControlledPDF, rows: Sequence[tuple[str, Any]]) -> None:
    _grid(pdf, [60, WIDE - 60], ["Item", "Value"], [(k, v) for k, v in rows])


def _summary(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    c = body["counts"]
    pdf.section("Summary")
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        0,
        6,
        f"Validation {_result(body['passed'])}: IQ {_result(body['iq']['passed'])}, "
        f"OQ {_result(body['oq']['passed'])}, {c['verified']} of {c['requirements']} "
        "requirements verified.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 8)
    _pairs(
        pdf,
        [
            ("Started", body["started_at"]),
            ("Finished", body["finished_at"]),
            (
                "Requirements",
                f"{c['verified']} verified, {c['not_verified']} failed, {c['not_run']} not run",
            ),
            (
                "Tests",
                f"{c['tests']}: {c['tests_passed']} passed, {c['tests_failed']} failed, "
                f"{c['tests_error']} errors, {c['tests_skipped']} skipped",
            ),
            ("Deviations", str(len(body["deviations"]))),
        ],
    )
    pdf.section("Environment")
    _pairs(pdf, list(body["environment"].items()))


def _iq(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    pdf.section(f"Installation qualification (IQ): {_result(body['iq']['passed'])}")
    rows = [
        (
            c["id"],
            c["title"],
            c["expected"],
            c["found"],
            "pass" if c["passed"] else f"FAIL: {c['deviation']}",
        )
        for c in body["iq"]["checks"]
    ]
    _grid(pdf, [16, 55, 60, 70, 60], ["Check", "Title", "Expected", "Found", "Result"], rows)


def _oq(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    oq = body["oq"]
    pdf.section(f"Operational qualification (OQ): {_result(oq['passed'])}")
    _pairs(
        pdf,
        [
            ("Scratch database", oq["scratch"] or "—"),
            ("Engine", oq["engine"]),
            ("Configuration used", json.dumps(oq["configuration"], sort_keys=True) or "—"),
            ("Test set SHA-256", oq["suite_sha256"] or "—"),
            ("Command", " ".join(oq["command"]) or "—"),
            ("Started / finished", f"{oq['started_at']} / {oq['finished_at']}"),
            ("Exit code", str(oq["exit_code"])),
            ("Could not run because", oq["problem"] or "—"),
        ],
    )


def _deviations(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    pdf.section(f"Deviations ({len(body['deviations'])})")
    rows = [(d["kind"], d["subject"], d["detail"]) for d in body["deviations"]]
    _grid(pdf, [40, 95, WIDE - 135], ["Kind", "Subject", "Detail"], rows)


def _by_module(body: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in body["requirements"]:
        found.setdefault(row["module"], []).append(row)
    return found


def _requirements(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    for module, rows in _by_module(body).items():
        pdf.section(f"Requirements: {module}")
        _grid(
            pdf,
            [18, 125, 50, 16, 22, 30],
            ["ID", "Statement", "Clauses", "Risk", "Verdict", "Tests"],
            [
                (
                    r["id"],
                    r["statement"],
                    ", ".join(r["clauses"]),
                    r["risk"],
                    r["verdict"],
                    str(len(r["tests"])),
                )
                for r in rows
            ],
        )


def _matrix(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    for module, rows in _by_module(body).items():
        pdf.section(f"Trace matrix: {module}")
        cells = [
            (r["id"], t["nodeid"], "yes" if t["refusal"] else "", t["outcome"])
            for r in rows
            for t in r["tests"]
        ] + [(r["id"], "(no test ran)", "", "not run") for r in rows if not r["tests"]]
        cells.sort(key=lambda cell: cell[0])
        _grid(pdf, [18, 193, 20, 30], ["ID", "Test", "Refusal", "Result"], cells)


def _delta(pdf: ControlledPDF, body: dict[str, Any]) -> None:
    d = body["delta"]
    pdf.section("Changes since the last approved report")
    if d is None:
        pdf.multi_cell(
            0,
            5,
            "No approved report to compare with: this is the first.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    else:
        r, t = d["requirements"], d["tests"]
        _pairs(
            pdf,
            [
                ("Compared with", d["against"]),
                ("Version", f"{d['version']['before']} → {d['version']['after']}"),
                ("Requirements added", ", ".join(r["added"]) or "none"),
                ("Requirements removed", ", ".join(r["removed"]) or "none"),
                (
                    "Requirements changed",
                    "; ".join(f"{c['id']} ({', '.join(c['fields'])})" for c in r["changed"])
                    or "none",
                ),
                ("Tests added", "\n".join(t["added"]) or "none"),
                ("Tests removed", "\n".join(t["removed"]) or "none"),
                ("Tests changed (source)", "\n".join(t["changed"]) or "none"),
                (
                    "Results changed",
                    "\n".join(f"{c['test']}: {c['before']} → {c['after']}" for c in d["results"])
                    or "none",
                ),
                (
                    "Verdicts changed",
                    "; ".join(f"{c['id']}: {c['before']} → {c['after']}" for c in d["verdicts"])
                    or "none",
                ),
            ],
        )
    pdf.section("Installs and upgrades recorded" + (" since then" if d else ""))
    _grid(
        pdf,
        [20, 70, 60, 60, 51],
        ["Event", "When", "From", "To", "Type"],
        [
            (f"#{u['seq']}", u["at"], u["from"] or "—", u["to"], u["action"])
            for u in body["upgrades"]
        ],
    )


def render(body: dict[str, Any]) -> bytes:
    env = body["environment"]
    pdf = ControlledPDF(
        title="OpenQMS validation report (IQ and OQ, ISO 13485 4.1.6)",
        subtitle=f"OpenQMS {env['openqms']} · {env['database']} · host {env['host']} · "
        f"run started {body['started_at']}",
        note="Made by openqms validate. The record, its number and its approval are in "
        "OpenQMS (Validation); this file's SHA-256 is on the record.",
        landscape=True,
    )
    pdf.describe(
        title=f"OpenQMS {env['openqms']} validation report",
        subject="Installation and operational qualification",
        author="openqms validate",
    )
    pdf.add_page()
    for part in (_summary, _iq, _oq, _deviations, _delta, _requirements, _matrix):
        part(pdf, body)
    return bytes(pdf.output())
