"""`openqms validate`: qualify this installation (docs/validation.md).

IQ, then OQ on a scratch copy (validation.oq), then the report (JSON and PDF) written to
the output folder and stored in OpenQMS as a record awaiting a QA lead's approval. A
failed validation is a record too: it is stored, and the command exits 1.

Exit status: 0 IQ and OQ passed and every requirement is verified; 1 anything else (the
report says what). With --iq-only: only IQ (iq.json, iq.txt), nothing stored; 0 when
every check passed, 1 otherwise."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from openqms.core.management.base import OpenQMSCommand
from openqms.validation import iq, oq, report
from openqms.validation.compose import Composed, compose, write_files
from openqms.validation.results import OqRun


def run_oq(output: Path, say=None) -> OqRun:
    """The operational test set on a scratch database (validation.oq); its OqRun says
    why when it could not run (pytest missing, no suite installed, ...)."""
    return oq.run(output=output, progress=say)


class Command(OpenQMSCommand):
    help = "Qualify this installation (IQ, OQ), write the report and store it for approval."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="folder for the report files (default: ./validation-<UTC time>)",
        )
        parser.add_argument(
            "--iq-only",
            action="store_true",
            help="run only the installation qualification (exit 0 when it passes)",
        )
        parser.add_argument(
            "--manifest", type=Path, help="release manifest (default: the installed one)"
        )
        parser.add_argument("--lock", type=Path, help="lock file (default: the installed one)")

    def handle(self, *args, output, iq_only, manifest, lock, **options):
        started = timezone.now()
        for path, what in ((manifest, "manifest"), (lock, "lock file")):
            if path is not None and not path.is_file():
                raise CommandError(f"The {what} {path} does not exist or is not a file.")
        folder = output or Path(f"validation-{started:%Y%m%d-%H%M%S}")
        _writable(folder)
        results = iq.run(iq.Sources(manifest=manifest, lock=lock))
        written = _attempt_write(folder, lambda: report.write(folder, results, started.isoformat()))
        self.stdout.write(report.table(results))
        self.stdout.write("")
        self.stdout.write(report.summary(results))
        if iq_only:
            self.stdout.write("Report: " + ", ".join(str(p) for p in written))
            if not all(r.passed for r in results):
                raise CommandError("IQ failed: see the deviations above.", returncode=1)
            return
        composed = compose(
            started=started, checks=results, run_oq=lambda: run_oq(folder / "oq", self._progress)
        )
        written += _attempt_write(folder, lambda: write_files(folder, composed))
        try:
            stored = composed.store()  # raises, storing nothing, when OQ wrote to the instance
        except Exception:
            _mark_not_stored(written)
            raise
        self._summary(composed, written, stored.number)
        if not composed.body["passed"]:
            raise CommandError(
                f"Validation FAILED: see the deviations in the report ({stored.number} is "
                "stored as a failed validation).",
                returncode=1,
            )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _summary(self, composed: Composed, written: list[Path], number: str) -> None:
        body, c = composed.body, composed.body["counts"]
        self.stdout.write(
            f"OQ {'passed' if body['oq']['passed'] else 'FAILED'}: {c['tests']} tests, "
            f"{c['tests_passed']} passed, {c['tests_failed']} failed, {c['tests_error']} "
            f"errors, {c['tests_skipped']} skipped."
        )
        self.stdout.write(
            f"Requirements: {c['verified']} of {c['requirements']} verified, "
            f"{c['not_verified']} failed, {c['not_run']} not run; "
            f"{len(body['deviations'])} deviations."
        )
        self.stdout.write(f"Validation {'passed' if body['passed'] else 'FAILED'}.")
        self.stdout.write("Report: " + ", ".join(str(p) for p in written))
        self.stdout.write(f"Stored as {number}, awaiting a QA lead's approval (Validation page).")


def _writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".openqms-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise CommandError(
            f"Cannot write the report to {folder}: {exc.strerror or exc}. "
            "Choose a folder you can write to with --output."
        ) from None


def _attempt_write(folder: Path, write) -> list[Path]:
    try:
        return write()
    except OSError as exc:
        raise CommandError(
            f"Cannot write the report to {folder}: {exc.strerror or exc}. "
            "Choose a folder you can write to with --output."
        ) from None


def _mark_not_stored(written: list[Path]) -> None:
    """A report that could not be stored is not a record: its files are renamed so that
    nobody files one that says "passed" as if it were (validation.json ->
    validation.NOT-STORED.json)."""
    for path in written:
        if path.name.startswith("validation.") and path.exists():
            path.rename(path.with_name(path.name.replace("validation.", "validation.NOT-STORED.")))
