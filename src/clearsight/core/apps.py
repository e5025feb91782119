from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clearsight.core"
    label = "core"
    verbose_name = "Clearsight core"

    def ready(self) -> None:
        # Registers the API authentication schemes with drf-spectacular.
        from clearsight.core import api_schema  # noqa: F401
