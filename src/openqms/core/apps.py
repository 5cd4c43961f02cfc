from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openqms.core"
    label = "core"
    verbose_name = "OpenQMS core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from openqms.core import checks  # noqa: F401  (registers system checks)
        from openqms.core.instance import after_migrate

        post_migrate.connect(after_migrate, sender=self)
        from openqms.core import mail, periodic

        periodic.register("core: queued emails", mail.send_queued)
