from django.core.management.base import CommandError

from openqms.core import actions
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import Role


class Command(OpenQMSCommand):
    help = "Create a user (for the first administrator, or scripted set-up)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True, help="As printed on signatures")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            help="Role code to grant (repeatable), e.g. administrator",
        )
        parser.add_argument(
            "--temporary",
            action="store_true",
            help="The password is for someone else: they must change it at the first sign-in",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input",
        )

    def handle(self, *args, **opts):
        roles = []
        for code in opts["role"]:
            role = Role.objects.filter(code=code).first()
            if role is None:
                known = ", ".join(Role.objects.values_list("code", flat=True))
                raise CommandError(f"There is no role {code!r}. Roles: {known}.")
            roles.append(role)
        password = self.read_secret("Password: ", opts["password_stdin"])
        user = actions.create_user(
            actor=None,
            username=opts["username"],
            full_name=opts["full_name"],
            email=opts["email"],
            password=password,
            roles=roles,
            reason="Created on the command line",
            temporary=opts["temporary"],
        )
        self.stdout.write(f"Created {user.full_name} ({user.username}).")
