from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    """What supplier control adds to the whole is declared in module.py."""

    name = "openqms.suppliers"
    label = "suppliers"
    verbose_name = "Suppliers and outsourced processes"
