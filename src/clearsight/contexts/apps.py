from django.apps import AppConfig


class ContextsConfig(AppConfig):
    name = "clearsight.contexts"
    label = "contexts"
    verbose_name = "Places, peer groups and schools (contextual safeguarding)"
