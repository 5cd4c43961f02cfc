import json
import os
import sys

from django.core.management.base import CommandError

from openqms.core import checkpoints, trail
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import AuditEvent


class Command(OpenQMSCommand):
    help = (
        "The audit trail: `verify` the chain against its signed checkpoints, make a "
        "`checkpoint`, or `export` it as CSV or JSON."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser(
            "verify",
            help="Check the chain, its checkpoints and the checkpoint log; exit 1 on any problem",
        )
        verify.add_argument("--json", action="store_true", help="Print the result as JSON")
        verify.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Check only the events after the newest checkpoint that holds (daily check)",
        )
        verify.add_argument(
            "--require-anchor",
            action="store_true",
            help="Also exit 1 when no checkpoint proves the trail (no key, or none signed yet)",
        )
        verify.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that check stretches of a long chain at once (default: CPUs)",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="Sign the chain's head now (`openqms tick` does it too)"
        )
        checkpoint.add_argument(
            "--append-missing",
            action="store_true",
            help="First append to the checkpoint log every signed checkpoint it lacks",
        )
        checkpoint.add_argument(
            "--accept-unsealed",
            action="store_true",
            help="Vouch for the unsealed events since the last checkpoint (written while "
            "the audit key was unavailable); recorded in the trail with --reason",
        )
        checkpoint.add_argument("--reason", default="", help="Why (with --accept-unsealed)")
        export = sub.add_parser("export", help="Stream the trail (or a filtered part of it)")
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--output", help="File to write (default: standard output)")
        export.add_argument("--object-type", default="")
        export.add_argument("--object-id", default="")
        export.add_argument("--user", default="", help="Username of the actor")
        export.add_argument("--action", default="")
        export.add_argument(
            "--health-data",
            action="store_true",
            help="Include the values of health-data fields (hidden otherwise); each record's "
            "read is recorded in the trail and the file is marked",
        )

    def handle(self, *args, **opts):
        if opts["verb"] == "verify":
            return self.verify(opts)
        if opts["verb"] == "checkpoint":
            return self.checkpoint(opts)
        return self.export(opts)

    def checkpoint(self, opts) -> None:
        if opts["reason"] and not opts["accept_unsealed"]:
            raise CommandError("--reason goes with --accept-unsealed.")
        if opts["accept_unsealed"] and not opts["reason"].strip():
            raise CommandError(
                '--accept-unsealed needs --reason "…": why the events carry no seal (for '
                "example, the audit key was unavailable from when to when)."
            )
        made = checkpoints.make_checkpoint(
            append_missing=opts["append_missing"],
            accept_unsealed=opts["reason"] if opts["accept_unsealed"] else "",
        )
        if made is None:
            self.stdout.write("No new events since the last checkpoint: nothing to sign.")
        else:
            self.stdout.write(f"Checkpoint #{made.pk} signed: events up to #{made.seq}.")

    def verify(self, opts) -> None:
        if opts["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        report = checkpoints.verify_anchored(
            since_checkpoint=opts["since_checkpoint"], workers=opts["workers"]
        )
        self.stdout.write(json.dumps(report.as_dict()) if opts["json"] else report.summary())
        if not report.ok or (opts["require_anchor"] and report.anchor_seq is None):
            sys.stdout.flush()
            sys.exit(1)

    def export(self, opts) -> None:
        event_filter = trail.EventFilter(
            object_type=opts["object_type"],
            object_id=opts["object_id"],
            username=opts["user"],
            action=opts["action"],
        )
        events = event_filter.apply(AuditEvent.objects.all())
        # ISO 13485 4.2.5: health data leaves the instance only when asked, and recorded.
        shown = trail.disclosure(events, None, command_line=opts["health_data"])
        export = trail.export_csv if opts["format"] == "csv" else trail.export_json
        chunks = export(events, None, shown)
        if not opts["output"]:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        try:
            with open(opts["output"], "w", newline="", encoding="utf-8") as out:
                out.writelines(chunks)
        except OSError as exc:
            raise CommandError(f"Cannot write {opts['output']}: {exc.strerror}") from None
