from django.apps import AppConfig


class EventsConfig(AppConfig):
    """What quality events add to the whole is declared in module.py."""

    name = "openqms.events"
    label = "events"
    verbose_name = "Quality events: complaints, vigilance, PMS, nonconformance, CAPA"
