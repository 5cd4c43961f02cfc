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
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that check stretches of a long chain at once (default: CPUs)",
        )
        sub.add_parser("checkpoint", help="Sign the chain's head now (`openqms tick` does it too)")
        export = sub.add_parser("export", help="Stream the trail (or a filtered part of it)")
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--output", help="File to write (default: standard output)")
        export.add_argument("--object-type", default="")
        export.add_argument("--object-id", default="")
        export.add_argument("--user", default="", help="Username of the actor")
        export.add_argument("--action", default="")

    def handle(self, *args, **opts):
        if opts["verb"] == "verify":
            return self.verify(opts["json"], opts["workers"], opts["since_checkpoint"])
        if opts["verb"] == "checkpoint":
            return self.checkpoint()
        return self.export(opts)

    def checkpoint(self) -> None:
        made = checkpoints.make_checkpoint()
        if made is None:
            self.stdout.write("No new events since the last checkpoint: nothing to sign.")
        else:
            self.stdout.write(f"Checkpoint #{made.pk} signed: events up to #{made.seq}.")

    def verify(self, as_json: bool, workers: int, since_checkpoint: bool) -> None:
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        report = checkpoints.verify_anchored(since_checkpoint=since_checkpoint, workers=workers)
        self.stdout.write(json.dumps(report.as_dict()) if as_json else report.summary())
        if not report.ok:
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
        chunks = trail.export_csv(events) if opts["format"] == "csv" else trail.export_json(events)
        if not opts["output"]:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        try:
            with open(opts["output"], "w", newline="", encoding="utf-8") as out:
                out.writelines(chunks)
        except OSError as exc:
            raise CommandError(f"Cannot write {opts['output']}: {exc.strerror}") from None
