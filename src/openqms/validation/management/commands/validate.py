"""`openqms validate`: qualify this installation (docs/validation.md).

Exit status: 0 every check that ran passed (only with --iq-only, while OQ does not
exist); 1 an IQ check failed; 3 IQ passed but OQ, which a full validation needs, is not
available in this version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openqms.validation import iq, report

OQ_MISSING = 3


class Command(BaseCommand):
    help = "Run the installation qualification (IQ) and write iq.json and iq.txt."

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
        results = iq.run(iq.Sources(manifest=manifest, lock=lock))
        try:
            written = report.write(folder, results, started.isoformat())
        except OSError as exc:
            raise CommandError(
                f"Cannot write the report to {folder}: {exc.strerror or exc}. "
                "Choose a folder you can write to with --output."
            ) from None
        self.stdout.write(report.table(results))
        self.stdout.write("")
        self.stdout.write(report.summary(results))
        self.stdout.write(report.OQ_NOT_AVAILABLE)
        self.stdout.write("Report: " + ", ".join(str(p) for p in written))
        if not all(r.passed for r in results):
            raise CommandError("IQ failed: see the deviations above.", returncode=1)
        if not iq_only:
            raise CommandError(
                "Validation incomplete: OQ is not available in this version "
                "(run with --iq-only to qualify the installation alone).",
                returncode=OQ_MISSING,
            )
