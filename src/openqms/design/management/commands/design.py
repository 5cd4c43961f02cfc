import sys

from openqms.core.management.base import OpenQMSCommand
from openqms.design.cli import check, imports


class Command(OpenQMSCommand):
    help = (
        "Design controls: `check --project NAME [--export matrix.csv]` prints every gap "
        "of the trace and exits 1 when there is any; `import PATH --project NAME` reads "
        "StrictDoc .sdoc files, a ReqIF file or a CSV; `export-reqif --project NAME FILE`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        check.add_arguments(sub.add_parser("check", help="Every gap of the trace"))
        imports.add_arguments(sub.add_parser("import", help="Import items and links"))
        imports.add_export_arguments(sub.add_parser("export-reqif", help="Write ReqIF"))

    def handle(self, *args, **opts):
        verb = opts["verb"]
        if verb == "check":
            code = check.handle(self, opts)
        elif verb == "import":
            code = imports.handle(self, opts)
        else:
            code = imports.handle_export(self, opts)
        if code:
            sys.exit(code)
