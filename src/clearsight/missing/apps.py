from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "clearsight.missing"
    label = "missing"
    verbose_name = "Missing episodes and return home interviews"
