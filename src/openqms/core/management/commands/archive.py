"""`openqms archive export FILE | verify FILE | import FILE`: every record out, checked
without a database, and back into an empty instance (docs/archive-format.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError

from openqms.core.archive.export import export_archive
from openqms.core.archive.load import import_archive
from openqms.core.archive.verify import verify_archive
from openqms.core.archive.writer import Progress
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = "Export every record to an archive, verify an archive, or import one."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in [
            ("export", "Write every record, file and PDF rendering to a new archive FILE"),
            ("verify", "Check an archive FILE without the database"),
            ("import", "Load an archive FILE into this empty instance"),
        ]:
            command = sub.add_parser(name, help=text)
            command.add_argument("file", type=Path)
            command.add_argument("--quiet", action="store_true", help="No progress on stderr")
            if name == "export":
                command.add_argument(
                    "--workers",
                    type=int,
                    default=os.cpu_count() or 1,
                    help="Processes rendering the PDFs at once, on PostgreSQL (default: CPUs)",
                )
            if name == "import":
                command.add_argument(
                    "--unsigned-ok",
                    action="store_true",
                    help="Import an archive whose manifest is not signed by a trusted key; "
                    "the imported trail is then not anchored (no checkpoint is signed over it)",
                )
            if name == "verify":
                command.add_argument(
                    "--unsigned-ok",
                    action="store_true",
                    help="Exit 0 for an intact archive even when its manifest is not signed "
                    "by a trusted key (it is then only consistent, not authenticated)",
                )
            if name in ("verify", "import"):
                command.add_argument(
                    "--public-key",
                    action="append",
                    default=[],
                    help="Public key (ed25519:…) the manifest and the archived checkpoints "
                    "may be signed with, besides this instance's and OPENQMS_TRUSTED_KEYS "
                    "(repeatable)",
                )

    def handle(
        self,
        *args,
        action: str,
        file: Path,
        quiet: bool,
        public_key=(),
        unsigned_ok: bool = False,
        **options,
    ) -> None:
        # The wrapper's own stream: progress lines end with "\r" on a terminal, not "\n".
        stream: IO[str] = getattr(self.stderr, "_out", sys.stderr)
        progress = Progress(stream, quiet=quiet)
        if action == "export":
            workers = options.get("workers", 1)
            if workers < 1:
                raise CommandError("--workers must be at least 1.")
            manifest = export_archive(file, progress=progress, workers=workers)
            head = manifest["chain"]
            self.stdout.write(
                f"Archive written to {file}: {len(manifest['parts'])} parts, audit chain to "
                f"#{head['head_seq']} {head['head_hash']}"
            )
        elif action == "verify":
            report = verify_archive(file, public_keys=public_key)
            if not report.ok:
                raise CommandError(report.summary())
            self.stdout.write(report.summary())
            if not report.signature.trusted and not unsigned_ok:
                # Consistent is not authentic: whoever rewrites an archive can recompute
                # every hash in it, but cannot sign its manifest with the instance's key.
                raise CommandError(
                    "The archive is consistent but not authenticated: its manifest is not "
                    "signed by a key trusted here. Give the public key of the instance that "
                    "made it with --public-key (from `openqms keys show` there), or accept "
                    "an unsigned archive knowingly with --unsigned-ok."
                )
        else:
            if not file.is_file():
                raise CommandError(f"{file}: no such archive; nothing was written.")
            manifest, anchored = import_archive(
                file, progress=progress, unsigned_ok=unsigned_ok, public_keys=public_key
            )
            head = manifest["chain"]
            self.stdout.write(
                f"Imported {file}: audit chain to #{head['head_seq']} {head['head_hash']} "
                "as in the archive, then one core.archive.imported event."
            )
            if anchored:
                self.stdout.write(anchored)
