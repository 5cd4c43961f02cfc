from django.apps import AppConfig


class EventsConfig(AppConfig):
    """What quality events add to the whole is declared in module.py."""

    name = "openqms.events"
    label = "events"
    verbose_name = "Quality events: complaints, vigilance, PMS, nonconformance, CAPA"

    def ready(self) -> None:
        # Rules one area puts on another's steps (events.guards) are registered when
        # their actions module is imported: import them here, not by chance (a demo).
        from openqms.events.actions import vigilance  # noqa: F401
