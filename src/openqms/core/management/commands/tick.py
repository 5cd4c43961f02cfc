from openqms.core import periodic
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = "Run the periodic jobs (future effective dates, reminders…). Schedule it."

    def handle(self, *args, **opts):
        for job in periodic.jobs():
            self.stdout.write(f"{job.name}: {job.run()}")
