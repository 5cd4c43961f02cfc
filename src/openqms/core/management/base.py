"""Base for OpenQMS commands: events they cause name the command and the OS user."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from openqms.core import audit
from openqms.core.errors import DomainError


class OpenQMSCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        name = self.__module__.rsplit(".", 1)[-1]
        token = audit.set_origin(audit.Origin(ip="", user_agent=f"openqms {name} (OS user {who})"))
        try:
            return super().execute(*args, **options)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        finally:
            audit.reset_origin(token)

    def read_secret(self, prompt: str, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: use --password-stdin.")
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise CommandError("The two passwords differ; nothing was created.")
        return first
