from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openqms.core"
    label = "core"
    verbose_name = "OpenQMS core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from openqms.core import checks  # noqa: F401  (registers system checks)
        from openqms.core.instance import after_migrate, before_migrate

        pre_migrate.connect(before_migrate, sender=self)
        post_migrate.connect(after_migrate, sender=self)
        from openqms.core import modules

        modules.autodiscover()  # every app's module.py: URLs, jobs, hooks, nav… (one place)
