from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError

from openqms.core import audit, keys
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
        if opts["verb"] == "init" and path == Path(settings.AUDIT_KEY) and _anchored():
            raise CommandError(
                f"No key was made: this instance's audit trail is already anchored (it has "
                f"checkpoints or sealed events), so its key existed. A new key at {path} "
                "would not vouch for that trail, and every event it sealed would read as "
                "forged. Put the original key file back there (or point OPENQMS_AUDIT_KEY "
                "at it); to rotate keys, see docs/admin-guide.md."
            )
        try:
            key = keys.create_key(path) if opts["verb"] == "init" else keys.load(str(path))
        except FileNotFoundError:
            raise CommandError(
                f"No audit key at {path}. A new instance makes one with `openqms keys "
                "init`; one whose trail is already anchored needs its original key file "
                "back (docs/admin-guide.md)."
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


def _anchored() -> bool:
    """Whether the configured database holds an anchored trail; False where there is no
    migrated database yet (`keys init` comes before `migrate` in a new install)."""
    try:
        return audit.anchored()
    except DatabaseError:
        return False
