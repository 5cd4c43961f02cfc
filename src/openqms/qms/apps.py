from django.apps import AppConfig


class QmsConfig(AppConfig):
    """What the QMS frame adds to the whole is declared in module.py."""

    name = "openqms.qms"
    label = "qms"
    verbose_name = "QMS frame: organisation, scope, processes, certificates"
