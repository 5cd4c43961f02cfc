"""(placeholder: the owning slice replaces this file)"""

from typing import Any


def add_arguments(parser: Any) -> None:
    parser.add_argument("--project")


def handle(command: Any, opts: dict) -> int:
    command.stderr.write("Not built yet.")
    return 2
