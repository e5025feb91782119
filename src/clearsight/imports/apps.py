from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "clearsight.imports"
    label = "imports"
    verbose_name = "Bulk import"
