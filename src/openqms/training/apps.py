from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "openqms.training"
    label = "training"
    verbose_name = "Training and competence"

    def ready(self) -> None:
        # Registrations: assignments when a revision becomes effective, the signing gate,
        # My tasks, the daily jobs and the demo records.
        from openqms.core import demo, periodic
        from openqms.core.signatures import add_signing_gate
        from openqms.documents.hooks import on_effective, on_withdrawn
        from openqms.training import actions, gate, inbox, reminders  # noqa: F401
        from openqms.training.demo import seed_training

        on_effective(actions.assign_for_revision)
        on_withdrawn(actions.close_for_withdrawn)
        add_signing_gate(gate.untrained_signer)
        periodic.register("training: compliance snapshot", actions.record_snapshot_text)
        periodic.register("training: reminders", reminders.send_due_reminders)
        demo.add_seeder(lambda: seed_training(demo.DEMO_PASSWORD))
