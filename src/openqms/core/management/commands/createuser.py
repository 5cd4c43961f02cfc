from django.core.management.base import CommandError

from openqms.core import actions
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import Role, User


class Command(OpenQMSCommand):
    help = (
        "Create a user: the first administrator (who keeps the password typed), or later "
        "users (whose password is temporary)."
    )

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
            help=(
                "Make the first user's password temporary too. Every later user's password "
                "is temporary anyway: it was chosen for them, so they must change it at the "
                "first sign-in"
            ),
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
        # Only the first user (the first administrator, at the server's console) types
        # their own password here; anyone else's was chosen for them (Part 11 §11.300).
        temporary = opts["temporary"] or User.objects.exists()
        user = actions.create_user(
            actor=None,
            username=opts["username"],
            full_name=opts["full_name"],
            email=opts["email"],
            password=password,
            roles=roles,
            reason="Created on the command line",
            temporary=temporary,
        )
        self.stdout.write(f"Created {user.full_name} ({user.username}).")
        if user.must_change_password:
            self.stdout.write("The password is temporary: it must be changed at the first sign-in.")
