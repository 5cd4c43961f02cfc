from django.apps import AppConfig


class DevicesConfig(AppConfig):
    """What the device register adds to the whole is declared in module.py."""

    name = "openqms.devices"
    label = "devices"
    verbose_name = "Device register and medical device files"
