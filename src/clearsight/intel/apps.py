from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "clearsight.intel"
    label = "intel"
    verbose_name = "Intelligence: deal lines, addresses, vehicles, groups and links"
