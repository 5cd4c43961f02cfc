import datetime as dt
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import User
from openqms.core.registry import permissions
from openqms.documents import actions
from openqms.documents.importer import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Defaults,
    ImportPlan,
    ImportRow,
    plan_import,
)
from openqms.documents.registry import CREATE


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(OpenQMSCommand):
    help = "Document control: `import` a folder of existing documents."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        bulk = sub.add_parser(
            "import",
            help="Import .md/.docx/.pdf files as effective legacy revisions, approved "
            "outside OpenQMS (checked first, all or nothing)",
        )
        bulk.add_argument("folder", type=Path)
        bulk.add_argument(
            "--manifest",
            type=Path,
            help=f"CSV with the columns {', '.join(COLUMNS)} (and optionally "
            f"{', '.join(OPTIONAL_COLUMNS)}); without one, file names say what each file is",
        )
        bulk.add_argument(
            "--type",
            help="Document type of files whose name matches no type's numbering (without "
            "it they are refused), and of manifest rows that name none: its code "
            "(work_instruction), prefix (WI) or name (“Work instruction”); the manifest's "
            "type column takes the same",
        )
        bulk.add_argument(
            "--owner", required=True, help="Username of the owner where the manifest names none"
        )
        bulk.add_argument(
            "--as",
            dest="importer",
            help="Username recorded as the importer (default: the owner)",
        )
        bulk.add_argument(
            "--effective-date",
            type=_date,
            help="Legacy effective date (YYYY-MM-DD) where the manifest gives none",
        )
        bulk.add_argument(
            "--next-review",
            type=_date,
            help="First periodic review date (YYYY-MM-DD) where the manifest gives none "
            "(default: the legacy effective date plus the type's review interval, which "
            "may already be past)",
        )
        bulk.add_argument(
            "--approval-ref",
            default="",
            help="Reference to the paper approval (e.g. CR-2019-014) where the manifest gives none",
        )
        bulk.add_argument(
            "--assign-training",
            action="store_true",
            help="Assign training on the imported revisions (default: none is assigned)",
        )
        bulk.add_argument(
            "--dry-run", action="store_true", help="Print the plan and every refusal; write nothing"
        )

    def handle(self, *args, **opts):
        owner = self._user(opts["owner"], "--owner")
        importer = self._user(opts["importer"], "--as") if opts["importer"] else owner
        defaults = Defaults(
            owner=owner,
            doc_type=opts["type"],
            effective_date=opts["effective_date"],
            approval_ref=opts["approval_ref"].strip(),
            next_review=opts["next_review"],
        )
        plan = plan_import(
            opts["folder"], manifest=opts["manifest"], default_owner=owner, defaults=defaults
        )
        if not has_permission(importer, CREATE):  # the dry run checks what the real run will
            plan.problems.insert(
                0,
                f"{'--as' if opts['importer'] else '--owner'} {importer.username}: the importer "
                f"needs the permission “{permissions.label(CREATE)}”",
            )
        if opts["dry_run"]:
            self._print_plan(plan, opts)
        for problem in plan.problems:
            self.stderr.write(f"refused: {problem}")
        if plan.problems:
            if opts["dry_run"]:
                raise CommandError(
                    f"The real run would import nothing: {len(plan.problems)} problem(s)."
                )
            raise CommandError(f"Nothing was imported: {len(plan.problems)} problem(s).")
        if opts["dry_run"]:
            return
        start = time.perf_counter()
        revisions = actions.import_documents(
            actor=importer,
            rows=plan.rows,
            assign_training=opts["assign_training"],
            progress=self.bar,
        )
        seconds = time.perf_counter() - start
        self.stderr.write("")
        self.stdout.write(
            f"Imported {len(revisions)} document(s) in {seconds:.1f} s "
            f"({len(revisions) / max(seconds, 1e-9):.0f}/s)."
        )

    def _user(self, username: str, option: str) -> User:
        user = User.objects.filter(username=username.lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"{option}: there is no active user {username!r}.")
        return user

    def _print_plan(self, plan: ImportPlan, opts) -> None:
        self.stdout.write(f"{len(plan.rows)} document(s) would be imported:")
        for row in plan.rows:
            self.stdout.write(f"  {row.source.name} → {_planned(row)}")
        training = "assigned" if opts["assign_training"] else "not assigned"
        self.stdout.write(f"Training on them: {training}.")
        if plan.problems:
            self.stdout.write(f"{len(plan.problems)} refused (listed on stderr).")

    def bar(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()


def _planned(row: ImportRow) -> str:
    label = row.label or row.doc_type.revision_label(1)
    if row.effective_date:
        effective = row.effective_date.isoformat()
    else:  # what the real run records: it took effect in OpenQMS on the day of the import
        effective = f"{timezone.localdate().isoformat()} (the import day: no legacy date given)"
    parts = [row.number, row.doc_type.name, f"“{row.title}”", f"rev {label}"]
    parts.append(f"effective {effective}")
    if row.next_review:
        parts.append(f"next review {row.next_review.isoformat()}")
    if row.approval_ref:
        parts.append(f"approval {row.approval_ref}")
    if row.owner:
        parts.append(f"owner {row.owner.username}")
    return " · ".join(parts)
