from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clearsight.core"
    label = "core"
    verbose_name = "Clearsight core"
