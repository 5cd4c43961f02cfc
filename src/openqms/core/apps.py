from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openqms.core"
    label = "core"
    verbose_name = "OpenQMS core"

    def ready(self) -> None:
        from openqms.core import checks  # noqa: F401  (registers system checks)
