from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "clearsight.access"
    label = "access"
    verbose_name = "Access policy"
