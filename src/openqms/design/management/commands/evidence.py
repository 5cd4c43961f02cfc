import sys

from openqms.core.management.base import OpenQMSCommand
from openqms.design.cli import junit, sbom


class Command(OpenQMSCommand):
    help = (
        "Evidence from CI: `junit FILE --project NAME --baseline X` links JUnit XML test "
        "results to their verification items; `sbom FILE --system ID` reads a CycloneDX "
        "SBOM into the software system's SOUP list."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        junit.add_arguments(sub.add_parser("junit", help="Ingest JUnit XML results"))
        sbom.add_arguments(sub.add_parser("sbom", help="Ingest a CycloneDX SBOM"))

    def handle(self, *args, **opts):
        handler = junit.handle if opts["verb"] == "junit" else sbom.handle
        code = handler(self, opts)
        if code:
            sys.exit(code)
