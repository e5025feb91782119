from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "clearsight.risk"
    label = "risk"
    verbose_name = "Exploitation indicators and risk screening"
