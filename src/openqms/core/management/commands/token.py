from django.core.management.base import CommandError

from openqms.core import actions
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import ApiToken, User


class Command(OpenQMSCommand):
    help = "API tokens: create (prints the token once), list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Create a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a user's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id")
        revoke.add_argument("token_id", type=int)
        revoke.add_argument("--reason", default="")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        return user

    def handle(self, *args, **opts):
        if opts["verb"] == "create":
            token, plaintext = actions.create_api_token(
                actor=None, user=self._user(opts["username"]), name=opts["name"]
            )
            self.stdout.write(plaintext)
            self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}.")
        elif opts["verb"] == "list":
            for t in ApiToken.objects.filter(user=self._user(opts["username"])):
                if t.revoked_at:
                    state = f"revoked {t.revoked_at:%Y-%m-%d}"
                elif t.is_expired():
                    state = f"expired {t.expires_at:%Y-%m-%d}"
                else:
                    state = "active" + (
                        f", expires {t.expires_at:%Y-%m-%d}" if t.expires_at else ""
                    )
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{state}")
        else:
            token = ApiToken.objects.filter(pk=opts["token_id"]).first()
            if token is None:
                raise CommandError(f"There is no token {opts['token_id']}.")
            actions.revoke_api_token(actor=None, token=token, reason=opts["reason"])
            self.stdout.write(f"Revoked token {token.pk}.")
