from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """What training adds to the whole is declared in module.py."""

    name = "openqms.training"
    label = "training"
    verbose_name = "Training and competence"
