"""The synthetic data generator at the tiny scale (src/clearsight/synth)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clearsight.people.identifiers import normalise_nhs_number, normalise_phone
from clearsight.synth import loader
from clearsight.synth.models import SynthRun, SynthRunStatus
from clearsight.synth.scales import SCALES
from clearsight.synth.tables import LOAD_ORDER
from tests.factories import PersonFactory

# Transactional: the loader commits per area (and the flush after each test empties
# the indicator library, which the fixture below puts back).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def national_library(transactional_db: None) -> None:
    from clearsight.risk import library
    from clearsight.risk.models import Indicator, LibraryVersion, ProtectiveFactorKind

    library.install_national(
        1, version_model=LibraryVersion, indicator_model=Indicator, kind_model=ProtectiveFactorKind
    )


TINY = SCALES["tiny"]
AS_OF = date(2026, 11, 2)


def _load(tmp_path: Path, **kwargs: object) -> loader.LoadResult:
    options: dict[str, object] = {
        "scale": TINY,
        "seed": 3,
        "as_of": AS_OF,
        "truth_path": tmp_path / "truth.csv",
        "progress": None,
        "warn": lambda message: None,
    }
    options.update(kwargs)
    return loader.load(**options)  # type: ignore[arg-type]


def _fingerprint(run: SynthRun) -> dict[str, str]:
    """A hash of each table's rows with ids made relative to the run's ranges, so two
    loads compare equal whatever ids the sequences handed out."""
    bases = {table: first for table, (first, _) in run.id_ranges.items()}
    digests = {}
    with connection.cursor() as cursor:
        for table in LOAD_ORDER:
            first, last = run.id_ranges[table]
            cursor.execute(
                f"SELECT * FROM {table} WHERE id BETWEEN %s AND %s ORDER BY id",  # noqa: S608
                [first, last],
            )
            names = [c.name for c in cursor.description]
            digest = hashlib.sha256()
            for row in cursor.fetchall():
                record = dict(zip(names, row, strict=True))
                values = [
                    repr(value - bases[table] if name == "id" else _relative(name, record, bases))
                    for name, value in record.items()
                ]
                digest.update("|".join(values).encode())
            digests[table] = digest.hexdigest()
    return digests


def _relative(name: str, record: dict[str, Any], bases: dict[str, int]) -> Any:
    value = record[name]
    if value is None or value == "":
        return value
    target = _FOREIGN.get(name)
    if name in ("from_id", "to_id"):
        target = _NODE_TABLES[record[name.replace("_id", "_kind")]]
    if target and target in bases:
        return value - bases[target]
    if name == "password":
        return ""  # unusable, and names the absolute id
    if name == "source_ref":
        return int(value) - bases["missing_returnhomeinterview"]
    if name == "proposed_ref":
        prefix, _, number = value.partition(":")
        return f"{prefix}:{int(number) - bases['intel_phonedataimport']}"
    return value


_FOREIGN = {
    "person_id": "people_person",
    "area_id": "areas_area",
    "agency_id": "areas_agency",
    "school_id": "areas_agency",
    "user_id": "accounts_user",
    "author_id": "accounts_user",
    "reported_by_id": "accounts_user",
    "membership_id": "areas_membership",
    "reporting_membership_id": "areas_membership",
    "worker_id": "areas_membership",
    "episode_id": "missing_missingepisode",
    "found_area_id": "areas_area",
    "raised_by_id": "accounts_user",
    "raised_by_membership_id": "areas_membership",
    "assigned_to_id": "areas_membership",
    "created_by_id": "accounts_user",
    "created_by_membership_id": "areas_membership",
    "vulnerable_resident_id": "people_person",
    "recorded_by_id": "accounts_user",
    "reviewed_by_id": "accounts_user",
}
_NODE_TABLES = {
    "person": "people_person",
    "phone": "intel_phonenumber",
    "address": "intel_inteladdress",
    "vehicle": "intel_vehicle",
    "group": "intel_intelgroup",
}


def test_the_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    first = _load(tmp_path)
    before = _fingerprint(first.run)
    second = _load(tmp_path, replace=True)
    assert second.run.pk != first.run.pk
    assert _fingerprint(second.run) == before


def test_a_different_seed_gives_different_data(tmp_path: Path) -> None:
    before = _fingerprint(_load(tmp_path).run)
    after = _fingerprint(_load(tmp_path, seed=4).run)
    assert after["people_person"] != before["people_person"]


def test_the_scale_sets_the_exact_totals(tmp_path: Path) -> None:
    counts = _load(tmp_path).run.row_counts
    assert counts["people_person"] == TINY.persons
    assert counts["risk_observation"] == TINY.observations
    assert counts["missing_missingepisode"] == TINY.missing_episodes
    assert counts["risk_screening"] > 0


def test_every_reference_points_at_a_row_that_exists(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, a.attname, confrelid::regclass::text
            FROM pg_constraint c JOIN pg_attribute a
              ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f'"""
        )
        for table, column, target in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL "  # noqa: S608
                f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.id = t.{column})"
            )
            assert cursor.fetchone()[0] == 0, f"{table}.{column}"


def test_episodes_have_interviews_after_return_and_some_are_open(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM missing_missingepisode e LEFT JOIN "
            "missing_returnhomeinterview r ON r.episode_id = e.id "
            "WHERE (e.ended_at IS NULL) <> (r.id IS NULL)"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM missing_missingepisode WHERE ended_at IS NULL")
        assert cursor.fetchone()[0] > 0


def test_repeat_missing_is_concentrated_in_a_minority(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM missing_missingepisode GROUP BY person_id ORDER BY 1 DESC"
        )
        per_child = [n for (n,) in cursor.fetchall()]
    top_fifth = per_child[: max(1, len(per_child) // 5)]
    assert sum(top_fifth) > sum(per_child) / 2


def test_the_ground_truth_matches_the_records(tmp_path: Path) -> None:
    result = _load(tmp_path)
    assert result.truth_path is not None
    with result.truth_path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    clusters: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        clusters.setdefault(row["cluster"], []).append(row)
    assert all(len(records) > 1 for records in clusters.values())
    with connection.cursor() as cursor:
        for records in clusters.values():
            ids = [int(r["person_id"]) for r in records]
            cursor.execute(
                "SELECT p.id, p.area_id, p.sex, r.source_record_id FROM people_person p "
                "JOIN people_externalrecord r ON r.person_id = p.id WHERE p.id = ANY(%s)",
                [ids],
            )
            found = cursor.fetchall()
            assert len(found) == len(ids)
            assert len({(area, sex) for _, area, sex, _ in found}) == 1
            recorded = {r["source_record_id"] for r in records}
            assert recorded == {record for *_, record in found}
    differences = {d for row in rows for d in row["differences"].split("; ")}
    assert {"typo", "nickname", "missing identifiers"} <= differences


def test_no_identifier_could_belong_to_a_real_person(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM people_personidentifier WHERE kind = 'nhs_number'")
        numbers = [value for (value,) in cursor.fetchall()]
        cursor.execute("SELECT number FROM people_phone")
        phones = [number for (number,) in cursor.fetchall()]
    assert numbers
    for number in numbers:
        assert number.startswith("999")
        assert normalise_nhs_number(number) == number
    for phone in phones:
        assert normalise_phone(phone) == phone


def test_a_network_links_children_in_other_areas_to_one_deal_line(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ph.number, count(DISTINCT p.area_id) FROM people_phone ph "
            "JOIN people_person p ON p.id = ph.person_id "
            "WHERE ph.label = 'Phone found with the child' GROUP BY ph.number"
        )
        assert any(areas >= 1 for _, areas in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM missing_missingepisode WHERE found_out_of_area "
            "AND found_place LIKE 'Flat %%'"
        )
        assert cursor.fetchone()[0] > 0


def test_an_interrupted_load_is_removed_by_the_next_one(tmp_path: Path) -> None:
    with pytest.raises(loader.Interrupted):
        _load(tmp_path, interrupt_after_areas=1)
    partial = SynthRun.objects.get()
    assert partial.status == SynthRunStatus.LOADING
    result = _load(tmp_path)
    assert SynthRun.objects.get().pk == result.run.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        assert cursor.fetchone()[0] == TINY.persons


def test_loading_the_same_seed_again_does_nothing(tmp_path: Path) -> None:
    _load(tmp_path)
    assert _load(tmp_path).skipped


def test_a_database_with_real_person_records_is_refused(tmp_path: Path) -> None:
    PersonFactory()
    with pytest.raises(loader.SynthError, match="did not create"):
        _load(tmp_path)


def test_force_loads_beside_other_records_and_never_touches_them(tmp_path: Path) -> None:
    person = PersonFactory()
    _load(tmp_path, force=True)
    _load(tmp_path, force=True, seed=9)
    person.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        assert cursor.fetchone()[0] == TINY.persons + 1


def test_a_negative_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(loader.SynthError, match="seed"):
        _load(tmp_path, seed=-1)


def test_the_command_refuses_an_unknown_scale() -> None:
    with pytest.raises(CommandError, match="Unknown scale"):
        call_command("synth", "--scale", "galactic", "--seed", "1")


def test_the_command_refuses_a_negative_seed() -> None:
    with pytest.raises(CommandError, match="seed"):
        call_command("synth", "--scale", "tiny", "--seed", "-5")


def test_concerns_and_links_are_made_in_proportion(tmp_path: Path) -> None:
    counts = _load(tmp_path).run.row_counts
    assert counts["concerns_concern"] == TINY.concerns
    assert counts["intel_link"] == TINY.intelligence_links
    for table in ("intel_phonenumber", "intel_inteladdress", "intel_vehicle", "intel_intelgroup"):
        assert counts[table] > 0


def test_every_link_joins_nodes_that_exist(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        for kind, table in _NODE_TABLES.items():
            for end in ("from", "to"):
                cursor.execute(
                    f"SELECT count(*) FROM intel_link l WHERE l.{end}_kind = %s "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {table} n WHERE n.id = l.{end}_id)",
                    [kind],
                )
                assert cursor.fetchone()[0] == 0, (kind, end)


def test_deal_lines_link_children_from_other_areas_to_a_cuckooed_address(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intel_link l JOIN intel_phonenumber ph ON ph.id = l.from_id "
            "JOIN people_person p ON p.id = l.to_id "
            "WHERE l.from_kind = 'phone' AND l.to_kind = 'person' AND ph.is_deal_line "
            "AND p.kind = 'child' AND p.area_id <> l.area_id"
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT count(*) FROM intel_inteladdress a JOIN people_person p "
            "ON p.id = a.vulnerable_resident_id WHERE a.is_cuckooing_concern AND p.kind = 'adult'"
        )
        assert cursor.fetchone()[0] == TINY.networks
        cursor.execute(
            "SELECT count(*) FROM intel_link WHERE link_type = 'found_at_while_missing' "
            "AND to_kind = 'address'"
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT review_status, count(*) FROM intel_link GROUP BY 1")
        reviews = dict(cursor.fetchall())
    assert reviews["accepted"] > reviews["proposed"] > 0
    assert reviews.get("rejected", 0) < reviews["proposed"]


def test_intelligence_numbers_and_registrations_are_invented(tmp_path: Path) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM intel_phonenumber")
        numbers = [number for (number,) in cursor.fetchall()]
        cursor.execute("SELECT registration FROM intel_vehicle")
        registrations = [registration for (registration,) in cursor.fetchall()]
    assert numbers and all(n.startswith("+447700900") for n in numbers)
    assert registrations and all(r.startswith("SYN") for r in registrations)


def test_concerns_are_mostly_closed_with_an_outcome_and_some_about_a_known_child(
    tmp_path: Path,
) -> None:
    _load(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT state, count(*) FROM concerns_concern GROUP BY 1")
        states = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM concerns_concern c JOIN people_person p ON p.id = c.person_id "
            "WHERE p.kind = 'child' AND p.area_id = c.area_id"
        )
        about_a_child = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM concerns_concern WHERE reference NOT LIKE 'CS-Z%%'")
        assert cursor.fetchone()[0] == 0
    assert states["closed"] > TINY.concerns / 2
    assert TINY.concerns / 4 < about_a_child < TINY.concerns


def test_the_demo_area_runs_lines_with_children_from_the_other_areas(tmp_path: Path) -> None:
    from clearsight.demo.accounts import AREA

    _load(tmp_path, scale=SCALES["demo"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT p.area_id) FROM intel_link l "
            "JOIN areas_area a ON a.id = l.area_id "
            "JOIN intel_phonenumber ph ON ph.id = l.from_id AND l.from_kind = 'phone' "
            "JOIN people_person p ON p.id = l.to_id AND l.to_kind = 'person' "
            "WHERE a.code = %s AND ph.is_deal_line AND p.area_id <> a.id",
            [AREA[1]],
        )
        assert cursor.fetchone()[0] >= 1
        cursor.execute(
            "SELECT count(*) FROM intel_link l JOIN areas_area a ON a.id = l.area_id "
            "WHERE a.code = %s AND l.review_status = 'proposed'",
            [AREA[1]],
        )
        assert cursor.fetchone()[0] > 0
