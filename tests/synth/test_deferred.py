"""Indexes and constraints made once after a load into empty tables
(src/clearsight/synth/deferred.py)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from clearsight.synth import deferred, loader
from clearsight.synth.scales import SCALES
from tests.factories import PersonFactory
from tests.synth.test_loader import national_library  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _load(tmp_path: Path, **kwargs: object) -> loader.LoadResult:
    options: dict[str, object] = {
        "scale": SCALES["tiny"],
        "seed": 3,
        "as_of": date(2026, 11, 2),
        "truth_path": tmp_path / "truth.csv",
        "progress": None,
        "warn": lambda message: None,
    }
    options.update(kwargs)
    return loader.load(**options)  # type: ignore[arg-type]


def test_a_load_into_empty_tables_builds_the_indexes_once_at_the_end(tmp_path: Path) -> None:
    result = _load(tmp_path)
    assert result.index_seconds > 0
    assert deferred.missing() == []


def test_the_rebuilt_constraint_still_stops_a_child_being_missing_twice_at_once(
    tmp_path: Path,
) -> None:
    from clearsight.missing.models import MissingEpisode

    _load(tmp_path)
    episode = MissingEpisode.objects.filter(ended_at__isnull=True).first()
    assert episode is not None
    episode.pk = None
    episode.started_at += timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        episode.save()


def test_an_interrupted_load_still_builds_the_indexes_again(tmp_path: Path) -> None:
    with pytest.raises(loader.Interrupted):
        _load(tmp_path, interrupt_after_areas=1)
    assert deferred.missing() == []


def test_a_load_killed_outright_is_repaired_by_the_next_one(tmp_path: Path) -> None:
    # What a killed process leaves: the indexes dropped and never rebuilt.
    dropped = {item.name for item in deferred.drop(["missing_missingepisode", "intel_link"])}
    assert {"episodes_of_a_child_do_not_overlap", "link_from_node"} <= dropped
    assert {item.name for item in deferred.missing()} == dropped
    _load(tmp_path)
    assert deferred.missing() == []


def test_foreign_keys_are_checked_again_when_they_are_made(tmp_path: Path) -> None:
    from clearsight.risk.models import Observation

    _load(tmp_path)
    deferred.drop(["risk_observation"])
    Observation.objects.filter(pk=Observation.objects.first().pk).update(person_id=10**12)  # type: ignore[union-attr]
    with pytest.raises(IntegrityError):
        deferred.restore()


def test_indexes_are_never_dropped_beside_other_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PersonFactory()
    dropping = deferred.drop

    def only_empty(tables: list[str]) -> list[deferred.DeferredDefinition]:
        assert "people_person" not in tables, "dropped indexes beside other records"
        return dropping(tables)

    monkeypatch.setattr(deferred, "drop", only_empty)
    _load(tmp_path, force=True)
    assert deferred.missing() == []


def test_a_load_can_keep_the_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deferred, "drop", lambda tables: pytest.fail("dropped"))
    assert _load(tmp_path, defer_indexes=False).index_seconds == 0
