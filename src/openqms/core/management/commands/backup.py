from pathlib import Path

from openqms.core import backup
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = (
        "Back the running instance up into DIR (new or empty): a checkpoint, the database as "
        "one snapshot, the stored files, the checkpoint log and public key, and a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the backup (new or empty)")

    def handle(self, *args, **opts):
        target = Path(opts["directory"]).resolve()
        manifest = backup.make_backup(target)
        head, checkpoint = manifest["head"], manifest["checkpoint"]
        self.stdout.write(
            f"Backup written to {target}: {manifest['engine']} database, "
            f"{manifest['stored_files']} stored files, audit chain head #{head['seq']} "
            f"{head['hash'][:16]}…"
        )
        if (target / backup.SIGNATURE).is_file():
            self.stdout.write(f"Its manifest is signed with the audit key ({backup.SIGNATURE}).")
        else:
            self.stdout.write(
                "Its manifest is NOT signed (no audit key): `openqms restore` refuses an "
                "unsigned backup. Run `openqms keys init`, then back up again."
            )
        if manifest["checkpoint_problem"]:
            self.stdout.write(f"No new checkpoint: {manifest['checkpoint_problem']}")
        if checkpoint is None:
            self.stdout.write(
                "No checkpoint: no audit key is configured (`openqms keys init`); note the "
                "head above to check a restore against."
            )
        elif checkpoint["seq"] != head["seq"]:
            self.stdout.write(
                f"Events were written while the backup ran: it holds "
                f"{head['seq'] - checkpoint['seq']} events after checkpoint "
                f"#{checkpoint['id']} (chained, anchored by the next checkpoint)."
            )
        else:
            self.stdout.write(
                f"Its head is checkpoint #{checkpoint['id']}'s (event #{checkpoint['seq']})."
            )
