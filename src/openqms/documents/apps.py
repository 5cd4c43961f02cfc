from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openqms.documents"
    label = "documents"
    verbose_name = "Document control"

    def ready(self) -> None:
        # Registrations: My tasks, the periodic job, the demo records.
        from openqms.core import demo, periodic
        from openqms.documents import actions, inbox  # noqa: F401  (inbox registers)
        from openqms.documents.demo import seed_documents

        periodic.register(
            "documents: future effective dates",
            lambda: f"{len(actions.make_due_revisions_effective())} revision(s) made effective",
        )
        demo.add_seeder(lambda: seed_documents(demo.DEMO_PASSWORD))
