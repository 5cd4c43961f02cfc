from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from openqms.core import keys
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = (
        "The audit key that signs checkpoints and seals events: `init` makes it, `show` "
        "prints its public half (give that to your auditor)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        init = sub.add_parser("init", help="Make a new Ed25519 key file (never overwrites)")
        init.add_argument("--key", help="Where to write it (default: OPENQMS_AUDIT_KEY)")
        show = sub.add_parser("show", help="Print the public key and its id")
        show.add_argument("--key", help="The key file (default: OPENQMS_AUDIT_KEY)")

    def handle(self, *args, **opts):
        path = Path(opts["key"] or settings.AUDIT_KEY)
        try:
            key = keys.create_key(path) if opts["verb"] == "init" else keys.load(str(path))
        except FileNotFoundError:
            raise CommandError(
                f"No audit key at {path}: make one with `openqms keys init`."
            ) from None
        except (keys.KeyProblem, OSError) as exc:
            raise CommandError(str(exc)) from None
        if opts["verb"] == "init":
            self.stdout.write(
                f"Audit key written to {path} (readable by this user only). Keep a copy "
                "offline; keep it off the database host."
            )
        self.stdout.write(f"public key: {key.public_text}")
        self.stdout.write(f"key id:     {key.key_id}")
        if opts["verb"] == "init":
            self.stdout.write(
                "Give the public key to your auditor. Then run `openqms audit checkpoint`."
            )
