from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "openqms.documents"
    label = "documents"
    verbose_name = "Document control"
