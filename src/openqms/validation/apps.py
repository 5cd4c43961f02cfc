from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "openqms.validation"
    label = "validation"
    verbose_name = "Validation"

    def ready(self) -> None:
        # What validation adds to the whole is declared in module.py; this is only the
        # upgrade event, written after every `migrate` (Django's hook for it).
        from django.db.models.signals import post_migrate

        from openqms.validation.upgrade import after_migrate

        post_migrate.connect(after_migrate, sender=self)
