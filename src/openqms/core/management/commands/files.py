import sys

from openqms.core import files
from openqms.core.management.base import OpenQMSCommand
from openqms.core.models import StoredFile


class Command(OpenQMSCommand):
    help = "The file store: `verify` that every stored file still matches its SHA-256."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="Exit 1 and list the files that are missing or altered")

    def handle(self, *args, **opts):
        problems = 0
        for stored, problem in files.verify_files():
            problems += 1
            self.stdout.write(f"{stored.sha256}  {problem}")
        total = StoredFile.objects.count()
        if problems:
            self.stdout.write(f"files: {problems} of {total} stored files fail the check.")
            sys.stdout.flush()
            sys.exit(1)
        self.stdout.write(f"files intact: {total} stored files match their SHA-256.")
