from django.apps import AppConfig


class DesignConfig(AppConfig):
    """What design controls add to the whole is declared in module.py."""

    name = "openqms.design"
    label = "design"
    verbose_name = "Design controls, risk management and software lifecycle"
