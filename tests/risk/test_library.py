"""The national library file, its data migration, and published versions being read-only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from clearsight.risk import library, selectors
from clearsight.risk.models import Category, Indicator, LibraryVersion
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

OFFENDING_WORDS = ("offender", "gang member", "nominal", "perpetrator")


def test_version_1_has_40_or_more_indicators_in_every_category() -> None:
    data = library.read(1)
    indicators = data["indicators"]
    assert len(indicators) >= 40
    assert {i["category"] for i in indicators} == set(Category.values)
    assert len({i["code"] for i in indicators}) == len(indicators)
    for item in indicators:
        assert len(item["code"]) <= 20
        assert 1 <= item["weight"] <= 10
        assert item["looks_like"].strip() and item["what_to_do"].strip()
        text = " ".join([item["title"], item["looks_like"], item["what_to_do"]]).lower()
        assert not any(word in text for word in OFFENDING_WORDS), item["code"]
    assert 0 < data["thresholds"]["low"] < data["thresholds"]["medium"] < data["thresholds"]["high"]
    assert data["protective_factors"]


def test_the_migration_loads_version_1_as_the_published_national_library() -> None:
    version = selectors.current_library(AreaFactory().pk)
    assert (version.area_id, version.number, version.is_published) == (None, 1, True)
    assert version.indicators.count() == len(library.read(1)["indicators"])
    assert version.indicators.get(code="MIS-01").cin_factor == "10A"
    groups = selectors.indicators_by_category(version)
    assert groups[0][0] == "Missing and location"
    assert len(groups) == 10


def test_postgresql_refuses_to_change_a_published_version_or_its_indicators(
    national_library: LibraryVersion,
) -> None:
    indicator = national_library.indicators.get(code="MIS-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(weight=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LibraryVersion.objects.filter(pk=national_library.pk).update(high_threshold=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            version=national_library,
            code="NEW-01",
            title="A new sign",
            category=Category.EDUCATION,
            weight=3,
            looks_like="x",
            what_to_do="y",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        national_library.delete()
    indicator.refresh_from_db()
    assert indicator.weight == 8
