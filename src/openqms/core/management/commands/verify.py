import json
import os
import sys

from django.core.management.base import CommandError

from openqms.core import integrity
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = (
        "Every integrity check at once: the audit chain, every signature, the file store "
        "and each module's records against the trail. Exit 0 only when all hold."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")
        parser.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Check the chain and signatures only past the last good checkpoint",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that check stretches of a long chain at once (default: CPUs)",
        )

    def handle(self, *args, **opts):
        if opts["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        report = integrity.run(since_checkpoint=opts["since_checkpoint"], workers=opts["workers"])
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=1))
        else:
            self.stdout.write(report.summary())
            for finding in report.findings:
                self.stdout.write(f"- [{finding.check}] {finding.line()}")
        if not report.ok:
            sys.stdout.flush()
            sys.exit(1)
