from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "clearsight.concerns"
    label = "concerns"
    verbose_name = "Concerns, triage and the helpline contact log"
