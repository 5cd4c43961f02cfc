import csv
import json
from pathlib import Path

from django.core.management.base import CommandError

import openqms
from openqms.core import modules
from openqms.core.management.base import OpenQMSCommand
from openqms.core.requirements import Requirement
from openqms.core.tracing import Scan, scan_tree

# Beside src/ in a checkout; an installed wheel carries no tests.
CHECKOUT_TESTS = Path(openqms.__file__).resolve().parents[2] / "tests"


class Command(OpenQMSCommand):
    help = (
        "Every user requirement of every installed module: its clauses, its risk and the "
        "tests that verify it (read from the tests folder when it is present)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--module", help="Only this module's requirements (its label)")
        parser.add_argument(
            "--tests", type=Path, default=CHECKOUT_TESTS, help="The tests folder to read"
        )

    def handle(self, *args, **opts):
        declared = modules.requirements()
        if opts["module"] is not None and opts["module"] not in declared:
            raise CommandError(
                f"No installed module {opts['module']!r}; installed: {', '.join(declared)}."
            )
        rows = [
            self._row(label, requirement)
            for label, requirements in declared.items()
            if opts["module"] in (None, label)
            for requirement in requirements
        ]
        folder: Path = opts["tests"]
        if folder.is_dir():
            scan = scan_tree(folder)
            rows = [{**row, **self._tests(row["id"], scan)} for row in rows]
        else:
            self.stderr.write(
                f"No tests folder at {folder} (an installed release carries none): "
                "the tests that verify each requirement are not listed."
            )
        getattr(self, f"_write_{opts['format']}")(rows)

    @staticmethod
    def _row(label: str, requirement: Requirement) -> dict:
        return {
            "id": requirement.id,
            "module": label,
            "statement": requirement.statement,
            "clauses": list(requirement.clauses),
            "risk": str(requirement.risk),
            "impacts": [str(i) for i in requirement.impacts],
            "tests": [],
            "refusal_tests": [],
        }

    @staticmethod
    def _tests(requirement_id: str, scan: Scan) -> dict:
        traces = scan.traces.get(requirement_id, [])
        return {
            "tests": sorted({t.test for t in traces}),
            "refusal_tests": sorted({t.test for t in traces if t.refusal}),
        }

    def _write_json(self, rows: list[dict]) -> None:
        self.stdout.write(json.dumps(rows, indent=1))

    def _write_csv(self, rows: list[dict]) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["id", "module", "risk", "statement", "clauses", "impacts", "tests"])
        for row in rows:
            tests = [f"{t} (refusal)" if t in row["refusal_tests"] else t for t in row["tests"]]
            writer.writerow(
                [
                    row["id"],
                    row["module"],
                    row["risk"],
                    row["statement"],
                    "; ".join(row["clauses"]),
                    "; ".join(row["impacts"]),
                    "; ".join(tests),
                ]
            )

    def _write_table(self, rows: list[dict]) -> None:
        for row in rows:
            self.stdout.write(f"{row['id']}  [{row['risk']}]  {row['statement']}")
            self.stdout.write(f"    clauses: {', '.join(row['clauses']) or '-'}")
            for test in row["tests"]:
                flag = "  (refusal)" if test in row["refusal_tests"] else ""
                self.stdout.write(f"    verified by {test}{flag}")
        self.stdout.write(f"{len(rows)} requirements")
