from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "clearsight.areas"
    label = "areas"
    verbose_name = "Areas, agencies and memberships"
