from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openqms.documents"
    label = "documents"
    verbose_name = "Document control"

    def ready(self) -> None:
        # Registrations: My tasks, the periodic job, the demo records.
        from django.db.models.signals import post_migrate

        from openqms.core import demo, periodic
        from openqms.documents import actions, inbox  # noqa: F401  (inbox registers)
        from openqms.documents.demo import seed_documents
        from openqms.documents.search import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, sender=self)
        periodic.register(
            "documents: future effective dates",
            lambda: f"{len(actions.make_due_revisions_effective())} revision(s) made effective",
        )
        demo.add_seeder(lambda: seed_documents(demo.DEMO_PASSWORD))
