"""The tables a synthetic load writes, in load order, with the columns the generator
supplies. Every other column gets its model default, so a field added later with a
default needs no change here; one added without a default stops the load with an error
naming it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class Table:
    db_table: str
    columns: tuple[str, ...]
    # Columns the generator leaves out, and the value each gets.
    fixed_columns: tuple[str, ...]
    fixed_values: tuple[Any, ...]


COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "areas_area": ("areas.Area", ("id", "name", "code", "created_at")),
    "areas_agency": ("areas.Agency", ("id", "area_id", "name", "agency_type", "created_at")),
    "accounts_user": ("accounts.User", ("id", "password", "email", "full_name", "date_joined")),
    "areas_membership": (
        "areas.Membership",
        ("id", "user_id", "agency_id", "role", "created_at"),
    ),
    "people_person": (
        "people.Person",
        (
            "id", "area_id", "kind", "given_names", "family_name", "preferred_name",
            "search_name", "date_of_birth", "date_of_birth_is_approximate", "sex",
            "ethnicity", "school_id", "legal_status", "has_learning_disability",
            "created_at", "updated_at",
        ),
    ),
    "people_personidentifier": (
        "people.PersonIdentifier",
        ("id", "person_id", "kind", "value", "issuer", "created_at"),
    ),
    "people_personalias": ("people.PersonAlias", ("id", "person_id", "name", "kind")),
    "people_address": (
        "people.Address",
        ("id", "person_id", "line_1", "town", "postcode", "from_on", "to_on"),
    ),
    "people_phone": ("people.Phone", ("id", "person_id", "number", "label")),
    "people_person_known_to": ("", ("id", "person_id", "agency_id")),
    "people_teammember": (
        "people.TeamMember",
        ("id", "person_id", "membership_id", "reason", "added_at"),
    ),
    "people_externalrecord": (
        "people.ExternalRecord",
        ("id", "person_id", "agency_id", "source_record_id", "created_at"),
    ),
    "missing_missingepisode": (
        "missing.MissingEpisode",
        (
            "id", "person_id", "kind", "reported_at", "reported_by_id",
            "reporting_membership_id", "started_at", "last_seen_place", "clothing",
            "police_reference", "risk_grading", "ended_at", "found_place", "found_with",
            "found_out_of_area", "found_area_name", "found_area_id", "how_returned",
            "created_at",
        ),
    ),
    "missing_returnhomeinterview": (
        "missing.ReturnHomeInterview",
        (
            "id", "episode_id", "due_at", "state", "worker_id", "offered_at",
            "responded_at", "finished_at", "reason", "held_on", "where_child_was",
            "who_with", "what_happened", "push_factors", "pull_factors", "childs_words",
            "disclosure_codes", "created_at",
        ),
    ),
    "risk_observation": (
        "risk.Observation",
        (
            "id", "person_id", "indicator_code", "indicator_title", "seen_on", "confidence",
            "note", "source", "source_ref", "agency_id", "author_id", "membership_id",
            "created_at",
        ),
    ),
    "concerns_concern": (
        "concerns.Concern",
        (
            "id", "reference", "area_id", "source", "sector", "what_seen", "where_seen",
            "postcode", "latitude", "longitude", "seen_on", "seen_time", "description",
            "sign_codes", "is_child_in_danger_now", "reporter_name", "reporter_email",
            "reporter_phone", "has_consent_to_contact", "person_id", "raised_by_id",
            "raised_by_membership_id", "state", "assigned_to_id", "outcome",
            "outcome_reason", "triaged_at", "closed_at", "created_at", "submission_key",
        ),
    ),
    "intel_intelgroup": (
        "intel.IntelGroup",
        ("id", "area_id", "name", "kind", "description", "created_by_id", "created_at"),
    ),
    "intel_phonenumber": (
        "intel.PhoneNumber",
        (
            "id", "area_id", "number", "is_deal_line", "line_name", "status", "closure_type",
            "closed_on", "notes", "created_by_id", "created_at",
        ),
    ),
    "intel_inteladdress": (
        "intel.IntelAddress",
        (
            "id", "area_id", "line_1", "town", "postcode", "is_cuckooing_concern",
            "vulnerable_resident_id", "notes", "created_by_id", "created_at",
        ),
    ),
    "intel_vehicle": (
        "intel.Vehicle",
        ("id", "area_id", "registration", "make", "model", "colour", "created_by_id",
         "created_at"),
    ),
    "intel_phonedataimport": (
        "intel.PhoneDataImport",
        (
            "id", "area_id", "file_name", "stored_path", "source", "status", "total_bytes",
            "processed_bytes", "processed_rows", "links_made", "summary", "created_by_id",
            "created_by_membership_id", "created_at", "finished_at",
        ),
    ),
    "intel_link": (
        "intel.Link",
        (
            "id", "area_id", "from_kind", "from_id", "to_kind", "to_id", "link_type",
            "valid_from", "valid_to", "source", "source_evaluation", "intelligence_assessment",
            "handling_code", "contact_count", "review_status", "proposed_from", "proposed_ref",
            "recorded_by_id", "recorded_at", "reviewed_by_id", "reviewed_at",
        ),
    ),
}  # fmt: skip
LOAD_ORDER = tuple(COLUMNS)


def model_for(db_table: str) -> type[models.Model]:
    label = COLUMNS[db_table][0]
    if label:
        return apps.get_model(label)
    person = apps.get_model("people.Person")
    through = person._meta.get_field("known_to").remote_field.through
    assert through is not None
    return through


class MissingDefault(RuntimeError):
    pass


def _fixed_value(field: models.Field[Any, Any], now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        return Jsonb(value) if isinstance(field, models.JSONField) else value
    if field.null:
        return None
    if field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    raise MissingDefault(
        f"{field.model._meta.db_table}.{field.column} has no default: "
        "add it to clearsight/synth/tables.py and the generator"
    )


def table(db_table: str, now: datetime) -> Table:
    model = model_for(db_table)
    columns = COLUMNS[db_table][1]
    fixed = [f for f in model._meta.local_concrete_fields if f.column not in columns]
    return Table(
        db_table=db_table,
        columns=columns,
        fixed_columns=tuple(str(f.column) for f in fixed),
        fixed_values=tuple(_fixed_value(f, now) for f in fixed),
    )
