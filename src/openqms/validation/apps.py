from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "openqms.validation"
    label = "validation"
    verbose_name = "Validation"
