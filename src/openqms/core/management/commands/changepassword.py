"""`openqms changepassword USERNAME`: replaces Django's own command, which changed any
password silently. This one goes through the action: a temporary password the person
must change at their next sign-in (it signs nothing before), recorded in the audit trail
with the operator's OS user."""

from django.core.management.base import CommandError

from openqms.core import actions
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import User


class Command(OpenQMSCommand):
    help = "Set a temporary password for a user (they must change it at the next sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Recorded in the audit trail")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input",
        )

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"].strip().lower()).first()
        if user is None:
            raise CommandError(f"There is no user {opts['username']!r}.")
        password = self.read_secret("Temporary password: ", opts["password_stdin"])
        actions.set_password(actor=None, user=user, new_password=password, reason=opts["reason"])
        self.stdout.write(
            f"Temporary password set for {user.full_name} ({user.username}); "
            "they must choose their own at the next sign-in."
        )
