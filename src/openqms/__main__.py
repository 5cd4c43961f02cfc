"""`openqms COMMAND` (or `python -m openqms COMMAND`): Django's commands with our settings."""

import os
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"], ["version"]):
        from openqms import __version__

        print(f"OpenQMS {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqms.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # Settings read this before they load: plain-HTTP localhost, generated secret key.
        os.environ["OPENQMS_DEMO"] = "1"
    from django.core.management import execute_from_command_line  # after the environment

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
