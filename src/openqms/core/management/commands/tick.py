from django.core.management.base import CommandError

from openqms.core import audit, periodic
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = (
        "Run the periodic jobs in their declared order (future effective dates, reminders, "
        "then the email queue). Schedule it every few minutes."
    )

    def handle(self, *args, **opts):
        missing = audit.key_problem()
        if missing:  # no job runs: each would write an event that cannot be sealed
            raise CommandError(f"Refusing to run the periodic jobs: {missing}")
        outcomes = periodic.run_jobs()
        for outcome in outcomes:
            line = f"{outcome.job}: {outcome.said}"
            if outcome.ok:
                self.stdout.write(line)
            else:
                self.stderr.write(f"{line} (failed; recorded in the audit trail)")
        failed = [o.job for o in outcomes if not o.ok]
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}")
