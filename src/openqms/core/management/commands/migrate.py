"""Django's `migrate`, run as an OpenQMS command: the audit event it causes (see
openqms.core.instance) names the command and the operating-system user who ran it."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from openqms.core.management.base import OpenQMSCommand


class Command(OpenQMSCommand, DjangoMigrate):
    pass
