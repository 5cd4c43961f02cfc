from django.conf import settings
from django.core.management import call_command

from openqms.core import checkpoints, integrity, keys
from openqms.core.demo import DEMO_PASSWORD, seed_demo
from openqms.core.instance import refuse_unless_demo_database
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = "Make (or reuse) a demo instance in OPENQMS_DATA_DIR, print its logins and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Set up, print, and stop")
        parser.add_argument(
            "--demo-database",
            action="store_true",
            help="OPENQMS_DATABASE_URL (or OPENQMS_SECRET_KEY) is set for this demo only",
        )

    def handle(self, *args, **opts):
        # Before anything is written: the demo's passwords are published.
        refuse_unless_demo_database(demo_database=opts["demo_database"])
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.AUDIT_KEY.exists():  # the demo's own audit key, in its data dir
            keys.create_key(settings.AUDIT_KEY)
        people = seed_demo()
        # The Integrity page's first result, then the story (that result included) signed.
        integrity.scheduled_check()
        checkpoints.make_checkpoint()
        url = f"http://127.0.0.1:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nOpenQMS demo instance in {settings.DATA_DIR}"))
        self.stdout.write(f"Open {url} and sign in as one of (password: {DEMO_PASSWORD}):\n")
        for username, full_name, role in people:
            self.stdout.write(f"  {username:<10} {full_name:<16} {role}")
        self.stdout.write("")
        if not opts["no_serve"]:
            call_command(
                "runserver", f"127.0.0.1:{opts['port']}", use_reloader=False, use_threading=True
            )
