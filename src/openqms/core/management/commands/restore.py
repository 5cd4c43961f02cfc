import sys
from pathlib import Path

from openqms.core import backup
from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand):
    help = (
        "Restore a backup made by `openqms backup` into this instance, which must be empty "
        "(just migrated); then run the integrity checks. Exit 1 if any fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's directory")

    def handle(self, *args, **opts):
        source = Path(opts["directory"]).resolve()
        result = backup.restore(source)
        manifest = result.manifest
        head = manifest["head"]
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['engine']}, OpenQMS "
            f"{manifest['openqms_version']}): audit chain head #{head['seq']} "
            f"{head['hash'][:16]}…, {result.files_restored} stored files."
        )
        if result.triggers_reinstalled:
            self.stdout.write(
                "The backup's database lacked protective triggers; reinstalled: "
                + ", ".join(result.triggers_reinstalled)
                + "."
            )
        else:
            self.stdout.write("The protective (append-only) triggers are in place.")
        if result.log_restored:
            self.stdout.write("The backup's checkpoint log is now this instance's.")
        if result.report is not None:
            self.stdout.write(result.report.summary())
        for problem in result.problems:
            self.stdout.write(f"FAILED: {problem}")
        if result.problems:
            self.stdout.write(f"restore: {len(result.problems)} integrity problems found.")
            sys.stdout.flush()
            sys.exit(1)
        self.stdout.write("Integrity checks passed.")
