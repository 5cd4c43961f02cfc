import time
from pathlib import Path

from django.core.management.base import CommandError

from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import User
from openqms.documents import actions
from openqms.documents.importer import COLUMNS, plan_import


class Command(OpenQMSCommand):
    help = "Document control: `import` a folder of existing documents."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        bulk = sub.add_parser(
            "import",
            help="Import .md/.docx/.pdf files as effective "
            "legacy revisions (checked first, all or nothing)",
        )
        bulk.add_argument("folder", type=Path)
        bulk.add_argument(
            "--manifest", type=Path, help=f"CSV with the columns {', '.join(COLUMNS)}"
        )
        bulk.add_argument(
            "--type", default="procedure", help="Document type code where the manifest names none"
        )
        bulk.add_argument(
            "--owner",
            required=True,
            help="Username of the owner where the manifest names none, and of "
            "the person recorded as importing",
        )
        bulk.add_argument("--dry-run", action="store_true", help="Check only; write nothing")

    def handle(self, *args, **opts):
        owner = User.objects.filter(username=opts["owner"].lower(), is_active=True).first()
        if owner is None:
            raise CommandError(f"There is no active user {opts['owner']!r}.")
        plan = plan_import(
            opts["folder"],
            manifest=opts["manifest"],
            default_type=opts["type"],
            default_owner=owner,
        )
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(f"refused: {problem}")
            raise CommandError(f"Nothing was imported: {len(plan.problems)} problem(s).")
        if opts["dry_run"]:
            self.stdout.write(f"{len(plan.rows)} document(s) would be imported.")
            return
        start = time.perf_counter()
        revisions = actions.import_documents(actor=owner, rows=plan.rows, progress=self.bar)
        seconds = time.perf_counter() - start
        self.stderr.write("")
        self.stdout.write(
            f"Imported {len(revisions)} document(s) in {seconds:.1f} s "
            f"({len(revisions) / max(seconds, 1e-9):.0f}/s)."
        )

    def bar(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
