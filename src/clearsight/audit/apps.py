from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clearsight.audit"
    label = "audit"
    verbose_name = "Audit log"
