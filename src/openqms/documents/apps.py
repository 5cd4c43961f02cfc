from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openqms.documents"
    label = "documents"
    verbose_name = "Document control"

    def ready(self) -> None:
        # What documents adds to the whole is declared in module.py; this is only the
        # search index's upkeep after migrations.
        from django.db.models.signals import post_migrate

        from openqms.documents.search import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, sender=self)
