"""Load the national indicator library, version 1, from risk/library/v1.toml."""

from typing import Any

from django.db import migrations

from clearsight.risk import library


def load(apps: Any, schema_editor: Any) -> None:
    library.install_national(
        1,
        version_model=apps.get_model("risk", "LibraryVersion"),
        indicator_model=apps.get_model("risk", "Indicator"),
        kind_model=apps.get_model("risk", "ProtectiveFactorKind"),
    )


def unload(apps: Any, schema_editor: Any) -> None:
    version_model = apps.get_model("risk", "LibraryVersion")
    version_model.objects.filter(area__isnull=True, number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
