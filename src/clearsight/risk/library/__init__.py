"""The indicator library shipped with Clearsight as data files (``v1.toml``), and how a
file becomes a published national version in the database."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

LIBRARY_DIR = Path(__file__).parent


def read(number: int) -> dict[str, Any]:
    with (LIBRARY_DIR / f"v{number}.toml").open("rb") as file:
        return tomllib.load(file)


def install_national(
    number: int, *, version_model: Any, indicator_model: Any, kind_model: Any
) -> Any:
    """Create national version ``number`` from its file and publish it; does nothing if it
    is already there. Takes the model classes so the data migration can pass historical
    models."""
    existing = version_model.objects.filter(area__isnull=True, number=number).first()
    if existing is not None:
        return existing
    data = read(number)
    version = version_model.objects.create(
        area=None,
        number=number,
        title=data["title"],
        low_threshold=Decimal(str(data["thresholds"]["low"])),
        medium_threshold=Decimal(str(data["thresholds"]["medium"])),
        high_threshold=Decimal(str(data["thresholds"]["high"])),
        half_life_days=data["recency"]["half_life_days"],
        lookback_days=data["recency"]["lookback_days"],
    )
    indicator_model.objects.bulk_create(
        indicator_model(
            version=version,
            position=position,
            code=item["code"],
            title=item["title"],
            category=item["category"],
            weight=item["weight"],
            looks_like=item["looks_like"],
            what_to_do=item["what_to_do"],
            cin_factor=item.get("cin_factor", ""),
        )
        for position, item in enumerate(data["indicators"], start=1)
    )
    kind_model.objects.bulk_create(
        kind_model(version=version, code=item["code"], title=item["title"])
        for item in data.get("protective_factors", [])
    )
    # Published last: from here on PostgreSQL refuses any change to it.
    version.status = "published"
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version
