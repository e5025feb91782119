"""Person records: children at risk and the adults around them.

Names, identifiers, addresses and phones hang off one Person. Reads go through
``access.policy.visible_persons``; writes through ``people.services``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper

from clearsight.people.choices import (
    AliasKind,
    Ethnicity,
    IdentifierKind,
    LegalStatus,
    PersonKind,
    Sex,
)


class PersonQuerySet(models.QuerySet["Person"]):
    def live(self) -> PersonQuerySet:
        return self.filter(deleted_at__isnull=True)


def display_name(given_names: str, family_name: str, preferred_name: str) -> str:
    """A person's name as every page shows it: "Mohammed Ali (“Mo”)", the preferred name
    only when the full name does not already hold it. For rows read without a Person."""
    name = f"{given_names} {family_name}"
    if preferred_name and preferred_name.lower() not in name.lower():
        return f"{name} (“{preferred_name}”)"
    return name


class Person(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="persons")
    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.CHILD)
    given_names = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=200, blank=True)
    # Lower-cased "given family preferred" for trigram search; kept by the model's save().
    search_name = models.CharField(max_length=620, editable=False, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_is_approximate = models.BooleanField(default=False)
    sex = models.CharField(max_length=12, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(
        max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    languages = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    school = models.ForeignKey(
        "areas.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="pupils"
    )
    legal_status = models.CharField(
        max_length=30, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    placing_authority = models.CharField(max_length=200, blank=True)
    # The agency that runs the child's placement (children's home, foster agency): the
    # Return Home Interview worker should be independent of it.
    placement_agency = models.ForeignKey(
        "areas.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placed_children",
    )
    # The screening never grades a child with a learning disability below medium once
    # any exploitation indicator is seen.
    has_learning_disability = models.BooleanField(default=False)
    known_to = models.ManyToManyField("areas.Agency", blank=True, related_name="persons_known")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            # The area leads (btree_gin), so a search reads only its own area's names
            # however many areas share the table.
            GinIndex(
                name="person_search_name_trgm",
                fields=["area", "search_name"],
                opclasses=["int8_ops", "gin_trgm_ops"],
            ),
            models.Index(fields=["area", "date_of_birth"]),
            # Adults of an area named in what a missing child was found with
            # (missing/selectors.concerns_for), without reading every child of the area.
            models.Index(
                fields=["area"], condition=Q(kind=PersonKind.ADULT), name="adults_of_area"
            ),
            # The live persons of an area, for PostgreSQL to match against another
            # table's index (the missing-now board: open episodes by child) instead of
            # looking up every row's person in turn (national board: about 22 to 8 ms).
            models.Index(
                fields=["area", "id"],
                condition=Q(deleted_at__isnull=True),
                name="live_persons_of_area",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_names="") & ~Q(family_name=""), name="person_has_names"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PersonKind.values), name="person_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = " ".join(
            part for part in (self.given_names, self.family_name, self.preferred_name) if part
        ).lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return display_name(self.given_names, self.family_name, self.preferred_name)

    @property
    def is_child(self) -> bool:
        return self.kind == PersonKind.CHILD

    def age_on(self, today: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.NICKNAME)

    class Meta:
        indexes = [GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="alias_name_trgm")]

    def __str__(self) -> str:
        return self.name


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(max_length=60)
    issuer = models.CharField(
        max_length=200, blank=True, help_text="Who issued an 'other' or local id"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value"]),
            models.Index(Upper("value"), name="identifier_value_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"], name="identifier_once_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[IdentifierKind.LA_ID, IdentifierKind.OTHER]) | ~Q(issuer=""),
                name="identifier_other_has_issuer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True)
                | Q(from_on__isnull=True)
                | Q(to_on__gte=models.F("from_on")),
                name="address_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_1}, {self.postcode}"


class Phone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=20, db_index=True, help_text="E.164")
    label = models.CharField(max_length=60, blank=True)
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.number


class TeamMember(models.Model):
    """A membership in the team around a person: the need-to-know basis for access."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team")
    membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, related_name="teams"
    )
    reason = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "membership"],
                condition=Q(ended_at__isnull=True),
                name="team_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} on the team for person {self.person_id}"


class ExternalRecord(models.Model):
    """The id an agency's own system gives this person: makes imports idempotent (the
    same source record is never imported twice) and links records across agencies."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_records")
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    source_record_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_record_id"], name="external_record_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_record_id} at agency {self.agency_id}"
